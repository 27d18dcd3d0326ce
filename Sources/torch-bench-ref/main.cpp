// The reference for `ocr-bench foundation`: the same tiny-op loop and the same CRNN-sized
// training step (conv stack + BiLSTM, CTC loss, backward, AdamW) written directly in C++ against
// LibTorch, so the Swift path's overhead is measured, not guessed.
//
//   torch-bench-ref overhead ITERATIONS         -> "us_per_call <x>"
//   torch-bench-ref step BATCH STEPS THREADS    -> "ms_per_step <x>"
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace nn = torch::nn;

struct ConvBlock : nn::Module {
  nn::Conv2d conv{nullptr};
  nn::BatchNorm2d bn{nullptr};
  ConvBlock(int64_t in, int64_t out) {
    conv = register_module("conv", nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1).bias(false)));
    bn = register_module("bn", nn::BatchNorm2d(out));
  }
  torch::Tensor forward(torch::Tensor x) { return torch::relu(bn(conv(x))); }
};

// Mirrors BenchCRNN in Sources/ocr/Bench/BenchCRNN.swift layer for layer.
struct BenchCRNN : nn::Module {
  std::shared_ptr<ConvBlock> b0, b1, b2, b3, b4;
  nn::LSTM rnn{nullptr};
  nn::Linear fc{nullptr};
  BenchCRNN(int64_t classes) {
    b0 = register_module("b0", std::make_shared<ConvBlock>(3, 32));
    b1 = register_module("b1", std::make_shared<ConvBlock>(32, 64));
    b2 = register_module("b2", std::make_shared<ConvBlock>(64, 128));
    b3 = register_module("b3", std::make_shared<ConvBlock>(128, 128));
    b4 = register_module("b4", std::make_shared<ConvBlock>(128, 256));
    rnn = register_module("rnn", nn::LSTM(nn::LSTMOptions(256, 96).num_layers(2).bidirectional(true)));
    fc = register_module("fc", nn::Linear(192, classes));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::max_pool2d(b0->forward(x), {2, 2});      // 32 x 160
    x = torch::max_pool2d(b1->forward(x), {2, 2});      // 16 x 80
    x = torch::max_pool2d(b2->forward(x), {2, 1});      // 8 x 80
    x = torch::max_pool2d(b3->forward(x), {2, 1});      // 4 x 80
    x = b4->forward(x).mean(2);                         // B x 256 x 80
    x = x.permute({2, 0, 1});                           // T x B x C
    x = std::get<0>(rnn->forward(x));
    return fc(x).log_softmax(2);                        // T x B x classes
  }
};

static double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: torch-bench-ref overhead N | step BATCH STEPS THREADS\n");
    return 2;
  }
  std::string mode = argv[1];
  if (mode == "overhead") {
    long n = std::atol(argv[2]);
    at::set_num_threads(1);
    auto a = torch::ones({1}), b = torch::ones({1});
    for (int i = 0; i < 1000; i++) a.add(b);
    double t0 = now_ms();
    for (long i = 0; i < n; i++) {
      auto c = a.add(b);
    }
    std::printf("us_per_call %.4f\n", (now_ms() - t0) * 1000.0 / n);
    return 0;
  }
  if (mode == "step" && argc >= 5) {
    int64_t batch = std::atol(argv[2]), steps = std::atol(argv[3]);
    at::set_num_threads(std::atoi(argv[4]));
    torch::manual_seed(0);
    const int64_t classes = 97, T = 80, S = 10;
    auto model = std::make_shared<BenchCRNN>(classes);
    model->train();
    torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(1e-3));
    auto x = torch::randn({batch, 3, 32, 320});
    auto targets = torch::randint(1, classes, {batch, S}, torch::kLong);
    std::vector<int64_t> il(batch, T), tl(batch, S);
    std::vector<double> times;
    for (int64_t s = 0; s < steps + 2; s++) {
      double t0 = now_ms();
      auto lp = model->forward(x);
      auto loss = torch::ctc_loss(lp, targets, il, tl, 0, at::Reduction::Mean, true);
      opt.zero_grad();
      loss.backward();
      opt.step();
      if (s >= 2) times.push_back(now_ms() - t0);  // two warm-up steps
    }
    std::sort(times.begin(), times.end());
    std::printf("ms_per_step %.3f\n", times[times.size() / 2]);  // median, as the Swift side
    return 0;
  }
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
