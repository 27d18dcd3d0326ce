// Autograd, LibTorch's optimizers (with their per-parameter state exposed as tensors so
// checkpoints can hold it in HDF5), RNG state and thread count.
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/core/grad_mode.h>
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include <dlfcn.h>

#include <cstring>
#include <memory>
#include <type_traits>

#include "ct_internal.hpp"

using ct::T;
using ct::wrap;

namespace {

struct Optimizer {
  ct_optim_kind kind;
  std::unique_ptr<torch::optim::Optimizer> impl;
};

Optimizer &O(ct_optimizer o) {
  if (!o.ptr) throw std::invalid_argument("missing optimizer (NULL handle)");
  return *static_cast<Optimizer *>(o.ptr);
}

std::vector<at::Tensor> tensor_list(const ct_tensor *ts, int64_t n) {
  std::vector<at::Tensor> v;
  for (int64_t i = 0; i < n; i++) v.push_back(T(ts[i]));
  return v;
}

std::unique_ptr<torch::optim::OptimizerOptions> make_options(ct_optim_kind kind, const ct_optim_options &o) {
  switch (kind) {
    case CT_OPTIM_SGD:
      return std::make_unique<torch::optim::SGDOptions>(torch::optim::SGDOptions(o.lr)
                                                            .momentum(o.momentum)
                                                            .dampening(o.dampening)
                                                            .nesterov(o.nesterov)
                                                            .weight_decay(o.weight_decay));
    case CT_OPTIM_ADAM:
      return std::make_unique<torch::optim::AdamOptions>(torch::optim::AdamOptions(o.lr)
                                                             .betas(std::make_tuple(o.beta1, o.beta2))
                                                             .eps(o.eps)
                                                             .weight_decay(o.weight_decay)
                                                             .amsgrad(o.amsgrad));
    case CT_OPTIM_ADAMW:
      return std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(o.lr)
                                                              .betas(std::make_tuple(o.beta1, o.beta2))
                                                              .eps(o.eps)
                                                              .weight_decay(o.weight_decay)
                                                              .amsgrad(o.amsgrad));
  }
  throw std::invalid_argument("unknown ct_optim_kind");
}

// LibTorch keys per-parameter state by the TensorImpl address: as a string in 1.x, as void* in 2.x.
template <class Map>
typename Map::key_type state_key(const Map &, const at::Tensor &p) {
  if constexpr (std::is_same_v<typename Map::key_type, std::string>) {
    std::ostringstream s;
    s << p.unsafeGetTensorImpl();
    return s.str();
  } else {
    return static_cast<typename Map::key_type>(p.unsafeGetTensorImpl());
  }
}

const at::Tensor &param_at(Optimizer &o, int64_t group, int64_t index) {
  auto &groups = o.impl->param_groups();
  if (group < 0 || group >= static_cast<int64_t>(groups.size()))
    throw std::out_of_range("group " + std::to_string(group) + " out of range (" + std::to_string(groups.size()) + " groups)");
  auto &params = groups[group].params();
  if (index < 0 || index >= static_cast<int64_t>(params.size()))
    throw std::out_of_range("parameter " + std::to_string(index) + " out of range (" + std::to_string(params.size()) +
                            " in group " + std::to_string(group) + ")");
  return params[index];
}

template <class State>
at::Tensor adam_get(State &s, const std::string &key) {
  if (key == "step") return at::scalar_tensor(static_cast<int64_t>(s.step()), at::kLong);
  if (key == "exp_avg") return s.exp_avg();
  if (key == "exp_avg_sq") return s.exp_avg_sq();
  if (key == "max_exp_avg_sq") return s.max_exp_avg_sq();
  throw std::invalid_argument("unknown Adam state key '" + key + "'");
}

// State read from a checkpoint is CPU data: each entry is copied onto its parameter's device.
template <class State>
void adam_set(State &s, const std::string &key, const at::Tensor &v, const at::Device &device) {
  if (key == "step") s.step(v.item<int64_t>());
  else if (key == "exp_avg") s.exp_avg(v.to(device, /*non_blocking=*/false, /*copy=*/true));
  else if (key == "exp_avg_sq") s.exp_avg_sq(v.to(device, false, true));
  else if (key == "max_exp_avg_sq") s.max_exp_avg_sq(v.to(device, false, true));
  else throw std::invalid_argument("unknown Adam state key '" + key + "'");
}

}  // namespace

extern "C" {

// ---- autograd ----------------------------------------------------------------------------------

int ct_set_requires_grad(ct_tensor t, bool requires_grad, ct_error *err) {
  CT_TRY T(t).set_requires_grad(requires_grad);
  CT_CATCH("set_requires_grad", {"input", t})
}

int ct_backward(ct_tensor t, ct_tensor grad, bool retain_graph, ct_error *err) {
  CT_TRY T(t).backward(ct::opt(grad), retain_graph);
  CT_CATCH("backward", {"input", t}, {"grad", grad})
}

int ct_grad(ct_tensor *out, ct_tensor t, ct_error *err) {
  CT_TRY *out = wrap(T(t).grad());
  CT_CATCH("grad", {"input", t})
}

int ct_zero_grad(ct_tensor t, ct_error *err) {
  CT_TRY T(t).mutable_grad().reset();
  CT_CATCH("zero_grad", {"input", t})
}

int ct_detach(ct_tensor *out, ct_tensor t, ct_error *err) {
  CT_TRY *out = wrap(T(t).detach());
  CT_CATCH("detach", {"input", t})
}

bool ct_grad_enabled(void) { return c10::GradMode::is_enabled(); }
void ct_set_grad_enabled(bool enabled) { c10::GradMode::set_enabled(enabled); }

int ct_clip_grad_norm(const ct_tensor *params, int64_t n, double max_norm, double norm_type, double *total_norm,
                      ct_error *err) {
  CT_TRY
    at::NoGradGuard no_grad;
    if (!(max_norm > 0)) throw std::invalid_argument("max_norm must be > 0, got " + std::to_string(max_norm));
    std::vector<at::Tensor> grads;
    for (int64_t i = 0; i < n; i++) {
      const at::Tensor &g = T(params[i]).grad();
      if (g.defined()) grads.push_back(g);
    }
    double total = 0;
    if (!grads.empty()) {
      std::vector<at::Tensor> norms;
      for (auto &g : grads) norms.push_back(at::norm(g, norm_type));
      total = at::norm(at::stack(norms), norm_type).item<double>();  // host sync: the norm is reported
      double coef = max_norm / (total + 1e-6);
      if (coef < 1)
        for (auto &g : grads) g.mul_(coef);
    }
    *total_norm = total;
  CT_CATCH("clip_grad_norm")
}

// ---- optimizers ----------------------------------------------------------------------------------

int ct_optimizer_new(ct_optimizer *out, ct_optim_kind kind, const ct_tensor *params, int64_t n,
                     ct_optim_options options, ct_error *err) {
  CT_TRY
    auto opt = std::make_unique<Optimizer>();
    opt->kind = kind;
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(tensor_list(params, n), make_options(kind, options));
    switch (kind) {
      case CT_OPTIM_SGD:
        opt->impl = std::make_unique<torch::optim::SGD>(groups, torch::optim::SGDOptions(options.lr));
        break;
      case CT_OPTIM_ADAM:
        opt->impl = std::make_unique<torch::optim::Adam>(groups, torch::optim::AdamOptions(options.lr));
        break;
      case CT_OPTIM_ADAMW:
        opt->impl = std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(options.lr));
        break;
    }
    out->ptr = opt.release();
  CT_CATCH("optimizer_new")
}

int ct_optimizer_add_group(ct_optimizer opt, const ct_tensor *params, int64_t n, ct_optim_options options, ct_error *err) {
  CT_TRY
    Optimizer &o = O(opt);
    o.impl->add_param_group(torch::optim::OptimizerParamGroup(tensor_list(params, n), make_options(o.kind, options)));
  CT_CATCH("optimizer_add_group")
}

void ct_optimizer_free(ct_optimizer opt) { delete static_cast<Optimizer *>(opt.ptr); }

int ct_optimizer_step(ct_optimizer opt, ct_error *err) {
  CT_TRY O(opt).impl->step();
  CT_CATCH("optimizer_step")
}

int ct_optimizer_zero_grad(ct_optimizer opt, ct_error *err) {
  CT_TRY
    // set_to_none semantics on every LibTorch version: the next backward allocates fresh grads
    for (auto &g : O(opt).impl->param_groups())
      for (auto &p : g.params()) p.mutable_grad().reset();
  CT_CATCH("optimizer_zero_grad")
}

int64_t ct_optimizer_group_count(ct_optimizer opt) {
  return opt.ptr ? static_cast<int64_t>(static_cast<Optimizer *>(opt.ptr)->impl->param_groups().size()) : 0;
}

int ct_optimizer_set_lr(ct_optimizer opt, int64_t group, double lr, ct_error *err) {
  CT_TRY
    auto &groups = O(opt).impl->param_groups();
    if (group < 0 || group >= static_cast<int64_t>(groups.size())) throw std::out_of_range("no group " + std::to_string(group));
    groups[group].options().set_lr(lr);
  CT_CATCH("optimizer_set_lr")
}

int ct_optimizer_get_lr(ct_optimizer opt, int64_t group, double *lr, ct_error *err) {
  CT_TRY
    auto &groups = O(opt).impl->param_groups();
    if (group < 0 || group >= static_cast<int64_t>(groups.size())) throw std::out_of_range("no group " + std::to_string(group));
    *lr = groups[group].options().get_lr();
  CT_CATCH("optimizer_get_lr")
}

int ct_optimizer_state_get(ct_tensor *out, ct_optimizer opt, int64_t group, int64_t index, const char *key, ct_error *err) {
  CT_TRY
    Optimizer &o = O(opt);
    const at::Tensor &p = param_at(o, group, index);
    auto &state = o.impl->state();
    auto it = state.find(state_key(state, p));
    std::string k(key);
    if (it == state.end()) {
      *out = ct_tensor{nullptr};
      return 0;
    }
    at::Tensor v;
    switch (o.kind) {
      case CT_OPTIM_SGD:
        if (k != "momentum_buffer") throw std::invalid_argument("unknown SGD state key '" + k + "'");
        v = static_cast<torch::optim::SGDParamState &>(*it->second).momentum_buffer();
        break;
      case CT_OPTIM_ADAM: v = adam_get(static_cast<torch::optim::AdamParamState &>(*it->second), k); break;
      case CT_OPTIM_ADAMW: v = adam_get(static_cast<torch::optim::AdamWParamState &>(*it->second), k); break;
    }
    *out = wrap(v.defined() ? v.detach().clone() : v);
  CT_CATCH("optimizer_state_get")
}

int ct_optimizer_state_set(ct_optimizer opt, int64_t group, int64_t index, const char *key, ct_tensor value, ct_error *err) {
  CT_TRY
    at::NoGradGuard no_grad;
    Optimizer &o = O(opt);
    const at::Tensor &p = param_at(o, group, index);
    const at::Tensor &v = T(value);
    std::string k(key);
    if (k != "step" && v.sizes() != p.sizes())
      throw std::invalid_argument("state '" + k + "' has shape " + c10::str(v.sizes()) + ", parameter has " +
                                  c10::str(p.sizes()));
    auto &state = o.impl->state();
    auto skey = state_key(state, p);
    auto it = state.find(skey);
    switch (o.kind) {
      case CT_OPTIM_SGD: {
        if (k != "momentum_buffer") throw std::invalid_argument("unknown SGD state key '" + k + "'");
        if (it == state.end()) it = state.emplace(skey, std::make_unique<torch::optim::SGDParamState>()).first;
        static_cast<torch::optim::SGDParamState &>(*it->second).momentum_buffer(v.to(p.device(), false, true));
        break;
      }
      case CT_OPTIM_ADAM: {
        if (it == state.end()) it = state.emplace(skey, std::make_unique<torch::optim::AdamParamState>()).first;
        adam_set(static_cast<torch::optim::AdamParamState &>(*it->second), k, v, p.device());
        break;
      }
      case CT_OPTIM_ADAMW: {
        if (it == state.end()) it = state.emplace(skey, std::make_unique<torch::optim::AdamWParamState>()).first;
        adam_set(static_cast<torch::optim::AdamWParamState &>(*it->second), k, v, p.device());
        break;
      }
    }
  CT_CATCH("optimizer_state_set", {"value", value})
}

// ---- RNG and threads -----------------------------------------------------------------------------

void ct_manual_seed(uint64_t seed) { at::manual_seed(seed); }

int ct_rng_state_get(ct_tensor *out, ct_error *err) {
  CT_TRY
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    *out = wrap(gen.get_state());
  CT_CATCH("rng_state_get")
}

int ct_rng_state_set(ct_tensor state, ct_error *err) {
  CT_TRY
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(T(state));
  CT_CATCH("rng_state_set", {"state", state})
}

void ct_set_num_threads(int n) {
  if (n > 0) at::set_num_threads(n);
  // Debian's LibTorch calls a pthread OpenBLAS from inside its own OpenMP threads: with both pools
  // at full size they oversubscribe the cores and spin (measured: 3x slower steps). BLAS runs
  // single-threaded inside LibTorch's parallel regions instead. Looked up at run time, so a
  // LibTorch built against MKL or another BLAS needs nothing.
  using set_fn = void (*)(int);
  if (auto f = reinterpret_cast<set_fn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) f(1);
}
int ct_get_num_threads(void) { return at::get_num_threads(); }

void ct_set_autocast_bf16(bool enabled) {
  at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  at::autocast::set_cpu_enabled(enabled);
}
bool ct_autocast_bf16_enabled(void) { return at::autocast::is_cpu_enabled(); }
void ct_autocast_clear_cache(void) { at::autocast::clear_cache(); }

}  // extern "C"
