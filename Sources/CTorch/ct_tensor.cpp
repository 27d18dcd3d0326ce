// Tensors: lifetime, creation, conversion, shape ops, arithmetic and reductions.
#include <cstdlib>
#include <cstring>

#include <torch/cuda.h>

#include "ct_internal.hpp"

using ct::T;
using ct::wrap;

namespace ct {

at::ScalarType scalar_type(ct_dtype d) {
  switch (d) {
    case CT_FLOAT32: return at::kFloat;
    case CT_FLOAT64: return at::kDouble;
    case CT_BFLOAT16: return at::kBFloat16;
    case CT_FLOAT16: return at::kHalf;
    case CT_INT64: return at::kLong;
    case CT_INT32: return at::kInt;
    case CT_INT8: return at::kChar;
    case CT_UINT8: return at::kByte;
    case CT_BOOL: return at::kBool;
  }
  throw std::invalid_argument("unknown ct_dtype " + std::to_string(static_cast<int>(d)));
}

ct_dtype from_scalar_type(at::ScalarType s) {
  switch (s) {
    case at::kFloat: return CT_FLOAT32;
    case at::kDouble: return CT_FLOAT64;
    case at::kBFloat16: return CT_BFLOAT16;
    case at::kHalf: return CT_FLOAT16;
    case at::kLong: return CT_INT64;
    case at::kInt: return CT_INT32;
    case at::kChar: return CT_INT8;
    case at::kByte: return CT_UINT8;
    case at::kBool: return CT_BOOL;
    default: throw std::invalid_argument(std::string("unsupported dtype ") + c10::toString(s));
  }
}

at::Reduction::Reduction reduction(ct_reduction r) {
  switch (r) {
    case CT_REDUCTION_NONE: return at::Reduction::None;
    case CT_REDUCTION_MEAN: return at::Reduction::Mean;
    case CT_REDUCTION_SUM: return at::Reduction::Sum;
  }
  throw std::invalid_argument("unknown ct_reduction");
}

at::Device device(ct_device_type type, int index) {
  switch (type) {
    case CT_DEVICE_CPU: return at::Device(at::kCPU);
    case CT_DEVICE_CUDA:
      if (index < 0) throw std::invalid_argument("cuda device index must be >= 0, got " + std::to_string(index));
      return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  throw std::invalid_argument("unknown ct_device_type " + std::to_string(static_cast<int>(type)));
}

// A tensor to read on the host: itself on the CPU, a CPU copy otherwise (waits for the device).
static at::Tensor on_host(const at::Tensor &t) { return t.is_cpu() ? t : t.cpu(); }

static std::string describe(ct_tensor t) {
  if (!t.ptr) return "none";
  const at::Tensor &x = *static_cast<at::Tensor *>(t.ptr);
  if (!x.defined()) return "undefined";
  std::ostringstream s;
  s << x.sizes();
  if (x.scalar_type() != at::kFloat) s << ":" << c10::toString(x.scalar_type());
  if (!x.is_cpu()) s << "@" << x.device();  // "[2, 3]@cuda:0": mixed-device errors say where each tensor is
  return s.str();
}

int fail(ct_error *err, const char *op, std::initializer_list<Arg> args, const char *what) {
  if (err) {
    std::ostringstream s;
    s << op << "(";
    bool first = true;
    for (const Arg &a : args) {
      s << (first ? "" : ", ") << a.name << "=" << describe(a.t);
      first = false;
    }
    s << "): " << what;
    std::string m = s.str();
    // LibTorch messages sometimes end with a newline; keep the message one clean paragraph.
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    std::free(err->message);
    err->message = strdup(m.c_str());
  }
  return 1;
}

}  // namespace ct

extern "C" {

void ct_error_free(ct_error *err) {
  if (!err) return;
  std::free(err->message);
  err->message = nullptr;
}

void ct_tensor_free(ct_tensor t) { delete static_cast<at::Tensor *>(t.ptr); }

int ct_tensor_clone_handle(ct_tensor *out, ct_tensor t, ct_error *err) {
  CT_TRY
    *out = wrap(T(t));
  CT_CATCH("clone_handle", {"input", t})
}

int64_t ct_tensor_dim(ct_tensor t) { return t.ptr ? static_cast<at::Tensor *>(t.ptr)->dim() : 0; }
int64_t ct_tensor_numel(ct_tensor t) { return t.ptr ? static_cast<at::Tensor *>(t.ptr)->numel() : 0; }

int ct_tensor_shape(ct_tensor t, int64_t *shape, int64_t capacity) {
  if (!t.ptr) return 0;
  auto sizes = static_cast<at::Tensor *>(t.ptr)->sizes();
  int64_t n = std::min<int64_t>(static_cast<int64_t>(sizes.size()), capacity);
  for (int64_t i = 0; i < n; i++) shape[i] = sizes[i];
  return static_cast<int>(n);
}

ct_dtype ct_tensor_dtype(ct_tensor t) {
  try {
    return ct::from_scalar_type(T(t).scalar_type());
  } catch (...) {
    return CT_FLOAT32;
  }
}

bool ct_tensor_requires_grad(ct_tensor t) { return t.ptr && static_cast<at::Tensor *>(t.ptr)->requires_grad(); }

bool ct_tensor_is_contiguous(ct_tensor t, ct_memory_format format) {
  if (!t.ptr) return false;
  auto mf = format == CT_MEMORY_CHANNELS_LAST ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  return static_cast<at::Tensor *>(t.ptr)->is_contiguous(mf);
}

int ct_version(int *major, int *minor, int *patch) {
  *major = TORCH_VERSION_MAJOR;
  *minor = TORCH_VERSION_MINOR;
  *patch = TORCH_VERSION_PATCH;
  return 0;
}

// ---- devices ---------------------------------------------------------------------------------------

bool ct_cuda_is_available(void) {
  try {
    return torch::cuda::is_available();
  } catch (...) {
    return false;
  }
}

int ct_cuda_device_count(void) {
  try {
    return static_cast<int>(torch::cuda::device_count());
  } catch (...) {
    return 0;
  }
}

int ct_tensor_device(ct_tensor t, ct_device_type *type, int *index, ct_error *err) {
  CT_TRY
    at::Device d = T(t).device();
    if (d.is_cpu()) {
      *type = CT_DEVICE_CPU;
      *index = -1;
    } else if (d.is_cuda()) {
      *type = CT_DEVICE_CUDA;
      *index = d.has_index() ? d.index() : 0;
    } else {
      throw std::invalid_argument("tensor on unsupported device " + d.str());
    }
  CT_CATCH("tensor_device", {"input", t})
}

int ct_to_device(ct_tensor *out, ct_tensor t, ct_device_type type, int index, ct_error *err) {
  CT_TRY *out = wrap(T(t).to(ct::device(type, index)));
  CT_CATCH("to_device", {"input", t})
}

int ct_move_to_device_(ct_tensor t, ct_device_type type, int index, ct_error *err) {
  CT_TRY
    at::NoGradGuard no_grad;
    at::Tensor &x = T(t);
    at::Device d = ct::device(type, index);
    if (x.device() != d) {
      // set_data swaps the storage under the same TensorImpl, as PyTorch's Module.to does for
      // parameters (param.data = param.data.to(device)).
      x.set_data(x.to(d));
      if (x.grad().defined()) x.mutable_grad() = x.grad().to(d);
    }
  CT_CATCH("move_to_device_", {"input", t})
}

// ---- creation and conversion ---------------------------------------------------------------------

static at::TensorOptions options(ct_dtype d) { return at::TensorOptions().dtype(ct::scalar_type(d)); }

int ct_from_data(ct_tensor *out, const void *data, const int64_t *shape, int64_t ndim, ct_dtype dtype, ct_error *err) {
  CT_TRY
    at::Tensor t = at::empty(ct::dims(shape, ndim), options(dtype));
    if (t.numel() > 0) {
      if (!data) throw std::invalid_argument("data is NULL");
      std::memcpy(t.data_ptr(), data, t.nbytes());
    }
    *out = wrap(std::move(t));
  CT_CATCH("from_data")
}

int ct_zeros(ct_tensor *out, const int64_t *shape, int64_t ndim, ct_dtype dtype, ct_error *err) {
  CT_TRY *out = wrap(at::zeros(ct::dims(shape, ndim), options(dtype)));
  CT_CATCH("zeros")
}

int ct_ones(ct_tensor *out, const int64_t *shape, int64_t ndim, ct_dtype dtype, ct_error *err) {
  CT_TRY *out = wrap(at::ones(ct::dims(shape, ndim), options(dtype)));
  CT_CATCH("ones")
}

int ct_full(ct_tensor *out, const int64_t *shape, int64_t ndim, double value, ct_dtype dtype, ct_error *err) {
  CT_TRY *out = wrap(at::full(ct::dims(shape, ndim), value, options(dtype)));
  CT_CATCH("full")
}

int ct_randn(ct_tensor *out, const int64_t *shape, int64_t ndim, ct_dtype dtype, ct_error *err) {
  CT_TRY *out = wrap(at::randn(ct::dims(shape, ndim), options(dtype)));
  CT_CATCH("randn")
}

int ct_rand(ct_tensor *out, const int64_t *shape, int64_t ndim, ct_dtype dtype, ct_error *err) {
  CT_TRY *out = wrap(at::rand(ct::dims(shape, ndim), options(dtype)));
  CT_CATCH("rand")
}

int ct_randint(ct_tensor *out, int64_t low, int64_t high, const int64_t *shape, int64_t ndim, ct_error *err) {
  CT_TRY *out = wrap(at::randint(low, high, ct::dims(shape, ndim), options(CT_INT64)));
  CT_CATCH("randint")
}

int ct_arange(ct_tensor *out, double start, double end, double step, ct_dtype dtype, ct_error *err) {
  CT_TRY *out = wrap(at::arange(start, end, step, options(dtype)));
  CT_CATCH("arange")
}

int ct_to_dtype(ct_tensor *out, ct_tensor t, ct_dtype dtype, ct_error *err) {
  CT_TRY *out = wrap(T(t).to(ct::scalar_type(dtype)));
  CT_CATCH("to_dtype", {"input", t})
}

int ct_to_memory_format(ct_tensor *out, ct_tensor t, ct_memory_format format, ct_error *err) {
  CT_TRY
    auto mf = format == CT_MEMORY_CHANNELS_LAST ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    *out = wrap(T(t).contiguous(mf));
  CT_CATCH("to_memory_format", {"input", t})
}

int ct_copy_to_host(ct_tensor t, void *dst, size_t nbytes, ct_error *err) {
  CT_TRY
    at::Tensor x = ct::on_host(T(t).detach()).contiguous();
    if (x.nbytes() != nbytes)
      throw std::invalid_argument("destination holds " + std::to_string(nbytes) + " bytes, tensor has " +
                                  std::to_string(x.nbytes()));
    if (nbytes > 0) std::memcpy(dst, x.data_ptr(), nbytes);
  CT_CATCH("copy_to_host", {"input", t})
}

int ct_item(ct_tensor t, double *value, ct_error *err) {
  CT_TRY *value = ct::on_host(T(t)).item<double>();
  CT_CATCH("item", {"input", t})
}

int ct_clone(ct_tensor *out, ct_tensor t, ct_error *err) {
  CT_TRY *out = wrap(T(t).clone());
  CT_CATCH("clone", {"input", t})
}

int ct_copy_(ct_tensor dst, ct_tensor src, ct_error *err) {
  CT_TRY
    at::NoGradGuard no_grad;
    T(dst).copy_(T(src));
  CT_CATCH("copy_", {"dst", dst}, {"src", src})
}

static at::Tensor binary(const at::Tensor &a, const at::Tensor &b, ct_binary_op op);
static at::Tensor binary_scalar(const at::Tensor &a, const at::Scalar &s, ct_binary_op op);

int ct_inplace_binary(ct_tensor dst, ct_tensor src, ct_binary_op op, ct_error *err) {
  CT_TRY
    at::NoGradGuard no_grad;
    at::Tensor &d = T(dst);
    switch (op) {
      case CT_BINARY_ADD: d.add_(T(src)); break;
      case CT_BINARY_SUB: d.sub_(T(src)); break;
      case CT_BINARY_MUL: d.mul_(T(src)); break;
      case CT_BINARY_DIV: d.div_(T(src)); break;
      default: d.copy_(binary(d, T(src), op));
    }
  CT_CATCH("inplace_binary", {"dst", dst}, {"src", src})
}

int ct_inplace_binary_scalar(ct_tensor dst, double s, ct_binary_op op, ct_error *err) {
  CT_TRY
    at::NoGradGuard no_grad;
    at::Tensor &d = T(dst);
    // an integer tensor (a step counter) takes an integer scalar, so the result type stays integral
    at::Scalar v = d.is_floating_point() ? at::Scalar(s) : at::Scalar(static_cast<int64_t>(s));
    switch (op) {
      case CT_BINARY_ADD: d.add_(v); break;
      case CT_BINARY_SUB: d.sub_(v); break;
      case CT_BINARY_MUL: d.mul_(v); break;
      case CT_BINARY_DIV: d.div_(v); break;
      default: d.copy_(binary_scalar(d, v, op));
    }
  CT_CATCH("inplace_binary_scalar", {"dst", dst})
}

int ct_fill_(ct_tensor dst, double value, ct_error *err) {
  CT_TRY
    at::NoGradGuard no_grad;
    T(dst).fill_(value);
  CT_CATCH("fill_", {"dst", dst})
}

int ct_uniform_(ct_tensor dst, double a, double b, ct_error *err) {
  CT_TRY
    at::NoGradGuard no_grad;
    T(dst).uniform_(a, b);
  CT_CATCH("uniform_", {"dst", dst})
}

int ct_normal_(ct_tensor dst, double mean, double std, ct_error *err) {
  CT_TRY
    at::NoGradGuard no_grad;
    T(dst).normal_(mean, std);
  CT_CATCH("normal_", {"dst", dst})
}

// ---- shape ops -------------------------------------------------------------------------------------

static std::vector<at::Tensor> tensors(const ct_tensor *ts, int64_t n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; i++) v.push_back(T(ts[i]));
  return v;
}

static std::string shapes(const ct_tensor *ts, int64_t n) {
  std::ostringstream s;
  for (int64_t i = 0; i < n; i++) s << (i ? ", " : "") << (ts[i].ptr ? static_cast<at::Tensor *>(ts[i].ptr)->sizes() : at::IntArrayRef{});
  return s.str();
}

int ct_reshape(ct_tensor *out, ct_tensor t, const int64_t *shape, int64_t ndim, ct_error *err) {
  CT_TRY *out = wrap(T(t).reshape(ct::dims(shape, ndim)));
  CT_CATCH("reshape", {"input", t})
}

int ct_permute(ct_tensor *out, ct_tensor t, const int64_t *dims, int64_t ndim, ct_error *err) {
  CT_TRY *out = wrap(T(t).permute(ct::dims(dims, ndim)));
  CT_CATCH("permute", {"input", t})
}

int ct_transpose(ct_tensor *out, ct_tensor t, int64_t dim0, int64_t dim1, ct_error *err) {
  CT_TRY *out = wrap(T(t).transpose(dim0, dim1));
  CT_CATCH("transpose", {"input", t})
}

int ct_cat(ct_tensor *out, const ct_tensor *ts, int64_t n, int64_t dim, ct_error *err) {
  try {
    *out = wrap(at::cat(tensors(ts, n), dim));
    return 0;
  } catch (const c10::Error &e) {
    return ct::fail(err, ("cat(dim=" + std::to_string(dim) + ", inputs=[" + shapes(ts, n) + "])").c_str(), {}, e.what_without_backtrace());
  } catch (const std::exception &e) {
    return ct::fail(err, "cat", {}, e.what());
  }
}

int ct_stack(ct_tensor *out, const ct_tensor *ts, int64_t n, int64_t dim, ct_error *err) {
  try {
    *out = wrap(at::stack(tensors(ts, n), dim));
    return 0;
  } catch (const c10::Error &e) {
    return ct::fail(err, ("stack(dim=" + std::to_string(dim) + ", inputs=[" + shapes(ts, n) + "])").c_str(), {}, e.what_without_backtrace());
  } catch (const std::exception &e) {
    return ct::fail(err, "stack", {}, e.what());
  }
}

int ct_narrow(ct_tensor *out, ct_tensor t, int64_t dim, int64_t start, int64_t length, ct_error *err) {
  CT_TRY *out = wrap(T(t).narrow(dim, start, length));
  CT_CATCH("narrow", {"input", t})
}

int ct_slice(ct_tensor *out, ct_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step, ct_error *err) {
  CT_TRY *out = wrap(T(t).slice(dim, start, end, step));
  CT_CATCH("slice", {"input", t})
}

int ct_index_select(ct_tensor *out, ct_tensor t, int64_t dim, ct_tensor index, ct_error *err) {
  CT_TRY *out = wrap(T(t).index_select(dim, T(index)));
  CT_CATCH("index_select", {"input", t}, {"index", index})
}

int ct_gather(ct_tensor *out, ct_tensor t, int64_t dim, ct_tensor index, ct_error *err) {
  CT_TRY *out = wrap(T(t).gather(dim, T(index)));
  CT_CATCH("gather", {"input", t}, {"index", index})
}

int ct_squeeze(ct_tensor *out, ct_tensor t, int64_t dim, ct_error *err) {
  CT_TRY *out = wrap(T(t).squeeze(dim));
  CT_CATCH("squeeze", {"input", t})
}

int ct_squeeze_all(ct_tensor *out, ct_tensor t, ct_error *err) {
  CT_TRY *out = wrap(T(t).squeeze());
  CT_CATCH("squeeze", {"input", t})
}

int ct_unsqueeze(ct_tensor *out, ct_tensor t, int64_t dim, ct_error *err) {
  CT_TRY *out = wrap(T(t).unsqueeze(dim));
  CT_CATCH("unsqueeze", {"input", t})
}

int ct_expand(ct_tensor *out, ct_tensor t, const int64_t *shape, int64_t ndim, ct_error *err) {
  CT_TRY *out = wrap(T(t).expand(ct::dims(shape, ndim)));
  CT_CATCH("expand", {"input", t})
}

int ct_contiguous(ct_tensor *out, ct_tensor t, ct_error *err) {
  CT_TRY *out = wrap(T(t).contiguous());
  CT_CATCH("contiguous", {"input", t})
}

int ct_pad(ct_tensor *out, ct_tensor t, const int64_t *pads, int64_t npads, ct_pad_mode mode, double value, ct_error *err) {
  CT_TRY
    const at::Tensor &x = T(t);
    auto p = ct::dims(pads, npads);
    switch (mode) {
      case CT_PAD_CONSTANT: *out = wrap(at::constant_pad_nd(x, p, value)); break;
      case CT_PAD_REFLECT:
        if (npads == 2) *out = wrap(at::reflection_pad1d(x, p));
        else if (npads == 4) *out = wrap(at::reflection_pad2d(x, p));
        else throw std::invalid_argument("reflect padding takes 2 or 4 pad values");
        break;
      case CT_PAD_REPLICATE:
        if (npads == 2) *out = wrap(at::replication_pad1d(x, p));
        else if (npads == 4) *out = wrap(at::replication_pad2d(x, p));
        else throw std::invalid_argument("replicate padding takes 2 or 4 pad values");
        break;
    }
  CT_CATCH("pad", {"input", t})
}

int ct_where(ct_tensor *out, ct_tensor cond, ct_tensor a, ct_tensor b, ct_error *err) {
  CT_TRY *out = wrap(at::where(T(cond), T(a), T(b)));
  CT_CATCH("where", {"condition", cond}, {"a", a}, {"b", b})
}

// ---- arithmetic ------------------------------------------------------------------------------------

static const char *unary_name(ct_unary_op op) {
  static const char *names[] = {"neg", "abs", "exp", "log", "sqrt", "rsqrt", "square", "reciprocal", "sign",
                                "floor", "ceil", "round", "sin", "cos", "relu", "relu6", "hardswish",
                                "hardsigmoid", "sigmoid", "tanh", "gelu", "gelu_tanh", "silu"};
  return op >= 0 && op <= CT_UNARY_SILU ? names[op] : "unary";
}

int ct_unary(ct_tensor *out, ct_tensor x, ct_unary_op op, ct_error *err) {
  CT_TRY
    const at::Tensor &a = T(x);
    at::Tensor r;
    switch (op) {
      case CT_UNARY_NEG: r = at::neg(a); break;
      case CT_UNARY_ABS: r = at::abs(a); break;
      case CT_UNARY_EXP: r = at::exp(a); break;
      case CT_UNARY_LOG: r = at::log(a); break;
      case CT_UNARY_SQRT: r = at::sqrt(a); break;
      case CT_UNARY_RSQRT: r = at::rsqrt(a); break;
      case CT_UNARY_SQUARE: r = at::square(a); break;
      case CT_UNARY_RECIPROCAL: r = at::reciprocal(a); break;
      case CT_UNARY_SIGN: r = at::sign(a); break;
      case CT_UNARY_FLOOR: r = at::floor(a); break;
      case CT_UNARY_CEIL: r = at::ceil(a); break;
      case CT_UNARY_ROUND: r = at::round(a); break;
      case CT_UNARY_SIN: r = at::sin(a); break;
      case CT_UNARY_COS: r = at::cos(a); break;
      case CT_UNARY_RELU: r = at::relu(a); break;
      case CT_UNARY_RELU6: r = at::hardtanh(a, 0.0, 6.0); break;
      case CT_UNARY_HARDSWISH: r = at::hardswish(a); break;
      case CT_UNARY_HARDSIGMOID: r = at::hardsigmoid(a); break;
      case CT_UNARY_SIGMOID: r = at::sigmoid(a); break;
      case CT_UNARY_TANH: r = at::tanh(a); break;
      case CT_UNARY_GELU: r = at::gelu(a); break;
      case CT_UNARY_GELU_TANH: r = at::gelu(a, "tanh"); break;
      case CT_UNARY_SILU: r = at::silu(a); break;
      default: throw std::invalid_argument("unknown ct_unary_op " + std::to_string(static_cast<int>(op)));
    }
    *out = wrap(std::move(r));
  CT_CATCH(unary_name(op), {"input", x})
}

static const char *binary_name(ct_binary_op op) {
  static const char *names[] = {"add", "sub", "mul", "div", "pow", "maximum", "minimum",
                                "eq", "ne", "lt", "le", "gt", "ge"};
  return op >= 0 && op <= CT_BINARY_GE ? names[op] : "binary";
}

static at::Tensor binary(const at::Tensor &a, const at::Tensor &b, ct_binary_op op) {
  switch (op) {
    case CT_BINARY_ADD: return at::add(a, b);
    case CT_BINARY_SUB: return at::sub(a, b);
    case CT_BINARY_MUL: return at::mul(a, b);
    case CT_BINARY_DIV: return at::div(a, b);
    case CT_BINARY_POW: return at::pow(a, b);
    case CT_BINARY_MAXIMUM: return at::maximum(a, b);
    case CT_BINARY_MINIMUM: return at::minimum(a, b);
    case CT_BINARY_EQ: return at::eq(a, b);
    case CT_BINARY_NE: return at::ne(a, b);
    case CT_BINARY_LT: return at::lt(a, b);
    case CT_BINARY_LE: return at::le(a, b);
    case CT_BINARY_GT: return at::gt(a, b);
    case CT_BINARY_GE: return at::ge(a, b);
  }
  throw std::invalid_argument("unknown ct_binary_op " + std::to_string(static_cast<int>(op)));
}

static at::Tensor binary_scalar(const at::Tensor &a, const at::Scalar &s, ct_binary_op op) {
  switch (op) {
    case CT_BINARY_ADD: return at::add(a, s);
    case CT_BINARY_SUB: return at::sub(a, s);
    case CT_BINARY_MUL: return at::mul(a, s);
    case CT_BINARY_DIV: return at::div(a, s);
    case CT_BINARY_POW: return at::pow(a, s);
    case CT_BINARY_MAXIMUM: return at::clamp_min(a, s);
    case CT_BINARY_MINIMUM: return at::clamp_max(a, s);
    case CT_BINARY_EQ: return at::eq(a, s);
    case CT_BINARY_NE: return at::ne(a, s);
    case CT_BINARY_LT: return at::lt(a, s);
    case CT_BINARY_LE: return at::le(a, s);
    case CT_BINARY_GT: return at::gt(a, s);
    case CT_BINARY_GE: return at::ge(a, s);
  }
  throw std::invalid_argument("unknown ct_binary_op " + std::to_string(static_cast<int>(op)));
}

int ct_binary(ct_tensor *out, ct_tensor a, ct_tensor b, ct_binary_op op, ct_error *err) {
  CT_TRY *out = wrap(binary(T(a), T(b), op));
  CT_CATCH(binary_name(op), {"a", a}, {"b", b})
}

int ct_binary_scalar(ct_tensor *out, ct_tensor a, double s, ct_binary_op op, ct_error *err) {
  CT_TRY *out = wrap(binary_scalar(T(a), s, op));
  CT_CATCH(binary_name(op), {"a", a})
}

int ct_scalar_binary(ct_tensor *out, double s, ct_tensor b, ct_binary_op op, ct_error *err) {
  CT_TRY
    const at::Tensor &x = T(b);
    switch (op) {
      case CT_BINARY_SUB: *out = wrap(at::rsub(x, s)); break;
      case CT_BINARY_DIV: *out = wrap(at::mul(at::reciprocal(x), s)); break;
      case CT_BINARY_POW: *out = wrap(at::pow(s, x)); break;
      default: *out = wrap(binary(at::scalar_tensor(s, x.options()), x, op));
    }
  CT_CATCH(binary_name(op), {"b", b})
}

int ct_clamp(ct_tensor *out, ct_tensor x, double lo, double hi, bool has_lo, bool has_hi, ct_error *err) {
  CT_TRY
    c10::optional<at::Scalar> l = has_lo ? c10::optional<at::Scalar>(lo) : c10::nullopt;
    c10::optional<at::Scalar> h = has_hi ? c10::optional<at::Scalar>(hi) : c10::nullopt;
    *out = wrap(at::clamp(T(x), l, h));
  CT_CATCH("clamp", {"input", x})
}

int ct_leaky_relu(ct_tensor *out, ct_tensor x, double slope, ct_error *err) {
  CT_TRY *out = wrap(at::leaky_relu(T(x), slope));
  CT_CATCH("leaky_relu", {"input", x})
}

// ---- reductions ------------------------------------------------------------------------------------

static const char *reduce_name(ct_reduce_op op) {
  static const char *names[] = {"sum", "mean", "max", "min", "prod", "logsumexp"};
  return op >= 0 && op <= CT_REDUCE_LOGSUMEXP ? names[op] : "reduce";
}

int ct_reduce(ct_tensor *out, ct_tensor x, ct_reduce_op op, const int64_t *dims, int64_t ndims, bool keepdim, ct_error *err) {
  CT_TRY
    const at::Tensor &a = T(x);
    std::vector<int64_t> d;
    if (dims && ndims > 0) d.assign(dims, dims + ndims);
    else for (int64_t i = 0; i < a.dim(); i++) d.push_back(i);
    at::Tensor r;
    switch (op) {
      case CT_REDUCE_SUM: r = d.empty() ? a.sum() : a.sum(d, keepdim); break;
      case CT_REDUCE_MEAN: r = d.empty() ? a.mean() : a.mean(d, keepdim); break;
      case CT_REDUCE_LOGSUMEXP: r = d.empty() ? a.clone() : at::logsumexp(a, d, keepdim); break;
      case CT_REDUCE_MAX:
      case CT_REDUCE_MIN:
      case CT_REDUCE_PROD: {
        if (!(dims && ndims > 0)) {  // over everything: one kernel
          r = op == CT_REDUCE_MAX ? a.max() : op == CT_REDUCE_MIN ? a.min() : a.prod();
          if (keepdim) r = r.reshape(std::vector<int64_t>(static_cast<size_t>(a.dim()), 1));
          break;
        }
        // one dimension at a time, highest first so the remaining indices stay valid
        std::vector<int64_t> sorted;
        for (int64_t v : d) sorted.push_back(v < 0 ? v + a.dim() : v);
        std::sort(sorted.rbegin(), sorted.rend());
        r = a;
        for (int64_t v : sorted) {
          if (op == CT_REDUCE_MAX) r = std::get<0>(r.max(v, keepdim));
          else if (op == CT_REDUCE_MIN) r = std::get<0>(r.min(v, keepdim));
          else r = r.prod(v, keepdim);
        }
        break;
      }
      default: throw std::invalid_argument("unknown ct_reduce_op");
    }
    *out = wrap(std::move(r));
  CT_CATCH(reduce_name(op), {"input", x})
}

int ct_max_dim(ct_tensor *values, ct_tensor *indices, ct_tensor x, int64_t dim, bool keepdim, ct_error *err) {
  CT_TRY
    auto r = T(x).max(dim, keepdim);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  CT_CATCH("max_dim", {"input", x})
}

int ct_argmax(ct_tensor *out, ct_tensor x, int64_t dim, bool keepdim, ct_error *err) {
  CT_TRY *out = wrap(T(x).argmax(dim, keepdim));
  CT_CATCH("argmax", {"input", x})
}

int ct_norm(ct_tensor *out, ct_tensor x, double p, const int64_t *dims, int64_t ndims, bool keepdim, ct_error *err) {
  CT_TRY
    if (dims && ndims > 0) *out = wrap(at::norm(T(x), p, ct::dims(dims, ndims), keepdim));
    else *out = wrap(at::norm(T(x), p));
  CT_CATCH("norm", {"input", x})
}

int ct_softmax(ct_tensor *out, ct_tensor x, int64_t dim, ct_error *err) {
  CT_TRY *out = wrap(at::softmax(T(x), dim));
  CT_CATCH("softmax", {"input", x})
}

int ct_log_softmax(ct_tensor *out, ct_tensor x, int64_t dim, ct_error *err) {
  CT_TRY *out = wrap(at::log_softmax(T(x), dim));
  CT_CATCH("log_softmax", {"input", x})
}

}  // extern "C"
