// Layers and losses: matmul/linear, convolution, normalisation, pooling, interpolation, LSTM, losses.
#include "ct_internal.hpp"

using ct::T;
using ct::wrap;

static at::IntArrayRef two(const int64_t *p) { return at::IntArrayRef(p, 2); }

extern "C" {

int ct_matmul(ct_tensor *out, ct_tensor a, ct_tensor b, ct_error *err) {
  CT_TRY *out = wrap(at::matmul(T(a), T(b)));
  CT_CATCH("matmul", {"a", a}, {"b", b})
}

int ct_bmm(ct_tensor *out, ct_tensor a, ct_tensor b, ct_error *err) {
  CT_TRY *out = wrap(at::bmm(T(a), T(b)));
  CT_CATCH("bmm", {"a", a}, {"b", b})
}

int ct_linear(ct_tensor *out, ct_tensor x, ct_tensor w, ct_tensor bias, ct_error *err) {
  CT_TRY *out = wrap(at::linear(T(x), T(w), ct::opt(bias)));
  CT_CATCH("linear", {"input", x}, {"weight", w}, {"bias", bias})
}

int ct_conv2d(ct_tensor *out, ct_tensor x, ct_tensor w, ct_tensor bias, const int64_t *stride,
              const int64_t *padding, const int64_t *dilation, int64_t groups, ct_error *err) {
  CT_TRY *out = wrap(at::conv2d(T(x), T(w), ct::opt(bias), two(stride), two(padding), two(dilation), groups));
  CT_CATCH("conv2d", {"input", x}, {"weight", w}, {"bias", bias})
}

int ct_conv_transpose2d(ct_tensor *out, ct_tensor x, ct_tensor w, ct_tensor bias, const int64_t *stride,
                        const int64_t *padding, const int64_t *output_padding, const int64_t *dilation,
                        int64_t groups, ct_error *err) {
  CT_TRY
    *out = wrap(at::conv_transpose2d(T(x), T(w), ct::opt(bias), two(stride), two(padding), two(output_padding),
                                     groups, two(dilation)));
  CT_CATCH("conv_transpose2d", {"input", x}, {"weight", w}, {"bias", bias})
}

int ct_batch_norm(ct_tensor *out, ct_tensor x, ct_tensor weight, ct_tensor bias, ct_tensor running_mean,
                  ct_tensor running_var, bool training, double momentum, double eps, ct_error *err) {
  CT_TRY
    *out = wrap(at::batch_norm(T(x), ct::opt(weight), ct::opt(bias), ct::opt(running_mean), ct::opt(running_var),
                               training, momentum, eps, /*cudnn_enabled=*/false));
  CT_CATCH("batch_norm", {"input", x}, {"weight", weight}, {"running_mean", running_mean})
}

int ct_layer_norm(ct_tensor *out, ct_tensor x, const int64_t *normalized_shape, int64_t ndim, ct_tensor weight,
                  ct_tensor bias, double eps, ct_error *err) {
  CT_TRY *out = wrap(at::layer_norm(T(x), ct::dims(normalized_shape, ndim), ct::opt(weight), ct::opt(bias), eps));
  CT_CATCH("layer_norm", {"input", x}, {"weight", weight})
}

int ct_dropout(ct_tensor *out, ct_tensor x, double p, bool training, ct_error *err) {
  CT_TRY *out = wrap(at::dropout(T(x), p, training));
  CT_CATCH("dropout", {"input", x})
}

int ct_max_pool2d(ct_tensor *out, ct_tensor x, const int64_t *kernel, const int64_t *stride,
                  const int64_t *padding, const int64_t *dilation, bool ceil_mode, ct_error *err) {
  CT_TRY *out = wrap(at::max_pool2d(T(x), two(kernel), two(stride), two(padding), two(dilation), ceil_mode));
  CT_CATCH("max_pool2d", {"input", x})
}

int ct_avg_pool2d(ct_tensor *out, ct_tensor x, const int64_t *kernel, const int64_t *stride,
                  const int64_t *padding, bool ceil_mode, bool count_include_pad, ct_error *err) {
  CT_TRY *out = wrap(at::avg_pool2d(T(x), two(kernel), two(stride), two(padding), ceil_mode, count_include_pad));
  CT_CATCH("avg_pool2d", {"input", x})
}

int ct_adaptive_avg_pool2d(ct_tensor *out, ct_tensor x, const int64_t *output_size, ct_error *err) {
  CT_TRY *out = wrap(at::adaptive_avg_pool2d(T(x), two(output_size)));
  CT_CATCH("adaptive_avg_pool2d", {"input", x})
}

int ct_adaptive_max_pool2d(ct_tensor *out, ct_tensor x, const int64_t *output_size, ct_error *err) {
  CT_TRY *out = wrap(std::get<0>(at::adaptive_max_pool2d(T(x), two(output_size))));
  CT_CATCH("adaptive_max_pool2d", {"input", x})
}

int ct_interpolate(ct_tensor *out, ct_tensor x, const int64_t *size, ct_interp_mode mode, bool align_corners, ct_error *err) {
  CT_TRY
    const at::Tensor &a = T(x);
    if (a.dim() != 4) throw std::invalid_argument("expects a 4-d N x C x H x W input");
    if (mode == CT_INTERP_NEAREST) *out = wrap(at::upsample_nearest2d(a, two(size)));
    else *out = wrap(at::upsample_bilinear2d(a, two(size), align_corners));
  CT_CATCH(mode == CT_INTERP_NEAREST ? "interpolate(nearest)" : "interpolate(bilinear)", {"input", x})
}

int ct_lstm(ct_tensor *output, ct_tensor *h_n, ct_tensor *c_n, ct_tensor x, ct_tensor h0, ct_tensor c0,
            const ct_tensor *params, int64_t nparams, bool has_biases, int64_t num_layers, double dropout,
            bool training, bool bidirectional, bool batch_first, ct_error *err) {
  CT_TRY
    const at::Tensor &input = T(x);
    std::vector<at::Tensor> ps;
    for (int64_t i = 0; i < nparams; i++) ps.push_back(T(params[i]));
    int64_t per = has_biases ? 4 : 2, dirs = bidirectional ? 2 : 1;
    if (nparams != per * dirs * num_layers)
      throw std::invalid_argument("expected " + std::to_string(per * dirs * num_layers) + " parameter tensors, got " +
                                  std::to_string(nparams));
    if (input.dim() != 3) throw std::invalid_argument("expects a 3-d input");
    int64_t batch = batch_first ? input.size(0) : input.size(1);
    int64_t hidden = ps[1].size(1);  // w_hh: 4H x H
    at::Tensor h = ct::opt(h0), c = ct::opt(c0);
    if (!h.defined()) h = at::zeros({num_layers * dirs, batch, hidden}, input.options());
    if (!c.defined()) c = at::zeros({num_layers * dirs, batch, hidden}, input.options());
    auto r = at::lstm(input, {h, c}, ps, has_biases, num_layers, dropout, training, bidirectional, batch_first);
    *output = wrap(std::get<0>(r));
    *h_n = wrap(std::get<1>(r));
    *c_n = wrap(std::get<2>(r));
  CT_CATCH("lstm", {"input", x}, {"w_ih_l0", nparams > 0 ? params[0] : ct_tensor{nullptr}}, {"h0", h0})
}

// ---- losses ------------------------------------------------------------------------------------------

int ct_ctc_loss(ct_tensor *out, ct_tensor log_probs, ct_tensor targets, const int64_t *input_lengths,
                const int64_t *target_lengths, int64_t batch, int64_t blank, ct_reduction reduction,
                bool zero_infinity, ct_error *err) {
  CT_TRY
    *out = wrap(at::ctc_loss(T(log_probs), T(targets), ct::dims(input_lengths, batch), ct::dims(target_lengths, batch),
                             blank, ct::reduction(reduction), zero_infinity));
  CT_CATCH("ctc_loss", {"log_probs", log_probs}, {"targets", targets})
}

int ct_bce(ct_tensor *out, ct_tensor x, ct_tensor y, ct_tensor weight, ct_reduction reduction, ct_error *err) {
  CT_TRY *out = wrap(at::binary_cross_entropy(T(x), T(y), ct::opt(weight), ct::reduction(reduction)));
  CT_CATCH("binary_cross_entropy", {"input", x}, {"target", y}, {"weight", weight})
}

int ct_bce_with_logits(ct_tensor *out, ct_tensor x, ct_tensor y, ct_tensor weight, ct_tensor pos_weight,
                       ct_reduction reduction, ct_error *err) {
  CT_TRY
    *out = wrap(at::binary_cross_entropy_with_logits(T(x), T(y), ct::opt(weight), ct::opt(pos_weight),
                                                     ct::reduction(reduction)));
  CT_CATCH("binary_cross_entropy_with_logits", {"input", x}, {"target", y}, {"weight", weight})
}

int ct_l1_loss(ct_tensor *out, ct_tensor x, ct_tensor y, ct_reduction reduction, ct_error *err) {
  CT_TRY *out = wrap(at::l1_loss(T(x), T(y), ct::reduction(reduction)));
  CT_CATCH("l1_loss", {"input", x}, {"target", y})
}

int ct_smooth_l1_loss(ct_tensor *out, ct_tensor x, ct_tensor y, double beta, ct_reduction reduction, ct_error *err) {
  CT_TRY *out = wrap(at::smooth_l1_loss(T(x), T(y), ct::reduction(reduction), beta));
  CT_CATCH("smooth_l1_loss", {"input", x}, {"target", y})
}

int ct_mse_loss(ct_tensor *out, ct_tensor x, ct_tensor y, ct_reduction reduction, ct_error *err) {
  CT_TRY *out = wrap(at::mse_loss(T(x), T(y), ct::reduction(reduction)));
  CT_CATCH("mse_loss", {"input", x}, {"target", y})
}

int ct_cross_entropy(ct_tensor *out, ct_tensor logits, ct_tensor target, ct_tensor weight, ct_reduction reduction,
                     int64_t ignore_index, double label_smoothing, ct_error *err) {
  CT_TRY
    *out = wrap(at::cross_entropy_loss(T(logits), T(target), ct::opt(weight), ct::reduction(reduction), ignore_index,
                                       label_smoothing));
  CT_CATCH("cross_entropy", {"input", logits}, {"target", target}, {"weight", weight})
}

}  // extern "C"
