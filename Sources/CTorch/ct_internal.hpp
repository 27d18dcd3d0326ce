// Private to the shim: casts between handles and at::Tensor, and the guard that turns every C++
// exception into a status + message. Only the .cpp files of CTorch include this.
#pragma once

#if !__has_include(<ATen/ATen.h>)
#error "OCRKit: LibTorch headers not found. Run scripts/setup.sh (installs libtorch-dev) or set LIBTORCH=/path/to/libtorch."
#endif
#include <ATen/ATen.h>
#include <torch/version.h>
#if TORCH_VERSION_MAJOR < 1 || (TORCH_VERSION_MAJOR == 1 && TORCH_VERSION_MINOR < 13)
#error "OCRKit needs LibTorch >= 1.13. Run scripts/setup.sh (Debian's libtorch-dev 1.13) or set LIBTORCH=/path to a newer one."
#endif

#include <initializer_list>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ctorch.h"

namespace ct {

inline at::Tensor &T(ct_tensor t) {
  if (!t.ptr) throw std::invalid_argument("missing tensor (NULL handle)");
  return *static_cast<at::Tensor *>(t.ptr);
}
// Optional input: an undefined tensor for a NULL handle.
inline at::Tensor opt(ct_tensor t) { return t.ptr ? *static_cast<at::Tensor *>(t.ptr) : at::Tensor(); }
inline ct_tensor wrap(at::Tensor t) { return ct_tensor{t.defined() ? new at::Tensor(std::move(t)) : nullptr}; }

inline at::IntArrayRef dims(const int64_t *p, int64_t n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

at::ScalarType scalar_type(ct_dtype d);
ct_dtype from_scalar_type(at::ScalarType s);
at::Reduction::Reduction reduction(ct_reduction r);
// CT_DEVICE_CPU, or CT_DEVICE_CUDA with an index >= 0; anything else throws.
at::Device device(ct_device_type type, int index);

// A named tensor argument for error messages: "conv2d(input=[1, 3, 8, 8], weight=[4, 2, 3, 3])".
struct Arg {
  const char *name;
  ct_tensor t;
};
int fail(ct_error *err, const char *op, std::initializer_list<Arg> args, const char *what);

}  // namespace ct

// Every entry point reads:
//   CT_TRY
//     *out = ct::wrap(at::conv2d(...));
//   CT_CATCH("conv2d", {"input", x}, {"weight", w})
// The tensors listed after the op name are described (with shapes) in the error message.
// Entry points using it take their error out-parameter as `err`.
#define CT_TRY try {
#define CT_CATCH(op, ...)                                                              \
  return 0;                                                                            \
  }                                                                                    \
  catch (const c10::Error &e) {                                                        \
    return ct::fail(err, op, {__VA_ARGS__}, e.what_without_backtrace());               \
  }                                                                                    \
  catch (const std::exception &e) {                                                    \
    return ct::fail(err, op, {__VA_ARGS__}, e.what());                                 \
  }                                                                                    \
  catch (...) {                                                                        \
    return ct::fail(err, op, {__VA_ARGS__}, "unknown C++ exception");                  \
  }
