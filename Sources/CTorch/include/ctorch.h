// ctorch.h - the C boundary over LibTorch. Pure C: Swift imports this header and nothing else.
//
// Ownership: every ct_tensor / ct_optimizer written through an out-parameter is owned by the
// caller (+1) and released with ct_tensor_free / ct_optimizer_free. Handles passed as inputs are
// borrowed. A handle whose ptr is NULL means "none" where an argument is optional (bias, weight).
//
// Errors: every entry point returns 0 on success. On failure it returns non-zero and fills *err
// with a message naming the op and the shapes involved; free it with ct_error_free. No C++
// exception crosses this boundary and nothing here aborts the process on bad input.
#ifndef CTORCH_H
#define CTORCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct { void *ptr; } ct_tensor;
typedef struct { void *ptr; } ct_optimizer;
typedef struct { char *message; } ct_error;

typedef enum {
  CT_FLOAT32, CT_FLOAT64, CT_BFLOAT16, CT_FLOAT16, CT_INT64, CT_INT32, CT_INT8, CT_UINT8, CT_BOOL
} ct_dtype;

typedef enum { CT_REDUCTION_NONE, CT_REDUCTION_MEAN, CT_REDUCTION_SUM } ct_reduction;

typedef enum {
  CT_UNARY_NEG, CT_UNARY_ABS, CT_UNARY_EXP, CT_UNARY_LOG, CT_UNARY_SQRT, CT_UNARY_RSQRT,
  CT_UNARY_SQUARE, CT_UNARY_RECIPROCAL, CT_UNARY_SIGN, CT_UNARY_FLOOR, CT_UNARY_CEIL,
  CT_UNARY_ROUND, CT_UNARY_SIN, CT_UNARY_COS,
  // activations
  CT_UNARY_RELU, CT_UNARY_RELU6, CT_UNARY_HARDSWISH, CT_UNARY_HARDSIGMOID, CT_UNARY_SIGMOID,
  CT_UNARY_TANH, CT_UNARY_GELU, CT_UNARY_GELU_TANH, CT_UNARY_SILU
} ct_unary_op;

typedef enum {
  CT_BINARY_ADD, CT_BINARY_SUB, CT_BINARY_MUL, CT_BINARY_DIV, CT_BINARY_POW,
  CT_BINARY_MAXIMUM, CT_BINARY_MINIMUM,
  // comparisons give CT_BOOL tensors
  CT_BINARY_EQ, CT_BINARY_NE, CT_BINARY_LT, CT_BINARY_LE, CT_BINARY_GT, CT_BINARY_GE
} ct_binary_op;

typedef enum {
  CT_REDUCE_SUM, CT_REDUCE_MEAN, CT_REDUCE_MAX, CT_REDUCE_MIN, CT_REDUCE_PROD, CT_REDUCE_LOGSUMEXP
} ct_reduce_op;

typedef enum { CT_PAD_CONSTANT, CT_PAD_REFLECT, CT_PAD_REPLICATE } ct_pad_mode;
typedef enum { CT_INTERP_NEAREST, CT_INTERP_BILINEAR } ct_interp_mode;
typedef enum { CT_MEMORY_CONTIGUOUS, CT_MEMORY_CHANNELS_LAST } ct_memory_format;
typedef enum { CT_OPTIM_SGD, CT_OPTIM_ADAM, CT_OPTIM_ADAMW } ct_optim_kind;
typedef enum { CT_DEVICE_CPU, CT_DEVICE_CUDA } ct_device_type;

// ---- errors, lifetime, introspection -------------------------------------------------------
void ct_error_free(ct_error *err);                 // NULL-safe; resets message to NULL
void ct_tensor_free(ct_tensor t);                  // NULL-safe, never throws
int ct_tensor_clone_handle(ct_tensor *out, ct_tensor t, ct_error *err);  // new handle, same storage
int64_t ct_tensor_dim(ct_tensor t);
int64_t ct_tensor_numel(ct_tensor t);
int ct_tensor_shape(ct_tensor t, int64_t *shape, int64_t capacity);      // writes min(dim, capacity)
ct_dtype ct_tensor_dtype(ct_tensor t);
bool ct_tensor_requires_grad(ct_tensor t);
bool ct_tensor_is_contiguous(ct_tensor t, ct_memory_format format);
int ct_version(int *major, int *minor, int *patch);

// ---- devices -------------------------------------------------------------------------------------
// Creation ops make CPU tensors; ct_to_device moves them. Host reads (ct_copy_to_host, ct_item)
// copy through the CPU, so they work on any device. On a LibTorch without CUDA (Debian's) the
// queries answer false / 0 and moving to CT_DEVICE_CUDA fails with LibTorch's message.
bool ct_cuda_is_available(void);
int ct_cuda_device_count(void);
// The tensor's device; index is -1 for the CPU.
int ct_tensor_device(ct_tensor t, ct_device_type *type, int *index, ct_error *err);
// A copy on the device (the same tensor when it is already there); autograd records the move.
int ct_to_device(ct_tensor *out, ct_tensor t, ct_device_type type, int index, ct_error *err);
// In place, outside autograd: t's data (and its gradient, if any) moves to the device; the handle
// and the tensor's identity stay, so an optimizer holding t keeps its state under the same key.
int ct_move_to_device_(ct_tensor t, ct_device_type type, int index, ct_error *err);

// ---- creation and conversion -----------------------------------------------------------------
int ct_from_data(ct_tensor *out, const void *data, const int64_t *shape, int64_t ndim, ct_dtype dtype, ct_error *err);
int ct_zeros(ct_tensor *out, const int64_t *shape, int64_t ndim, ct_dtype dtype, ct_error *err);
int ct_ones(ct_tensor *out, const int64_t *shape, int64_t ndim, ct_dtype dtype, ct_error *err);
int ct_full(ct_tensor *out, const int64_t *shape, int64_t ndim, double value, ct_dtype dtype, ct_error *err);
int ct_randn(ct_tensor *out, const int64_t *shape, int64_t ndim, ct_dtype dtype, ct_error *err);
int ct_rand(ct_tensor *out, const int64_t *shape, int64_t ndim, ct_dtype dtype, ct_error *err);
int ct_randint(ct_tensor *out, int64_t low, int64_t high, const int64_t *shape, int64_t ndim, ct_error *err);
int ct_arange(ct_tensor *out, double start, double end, double step, ct_dtype dtype, ct_error *err);
int ct_to_dtype(ct_tensor *out, ct_tensor t, ct_dtype dtype, ct_error *err);
int ct_to_memory_format(ct_tensor *out, ct_tensor t, ct_memory_format format, ct_error *err);
// Copies the tensor's values (converted to a contiguous layout) into dst; nbytes must match exactly.
int ct_copy_to_host(ct_tensor t, void *dst, size_t nbytes, ct_error *err);
int ct_item(ct_tensor t, double *value, ct_error *err);
int ct_clone(ct_tensor *out, ct_tensor t, ct_error *err);
// dst.copy_(src) without recording autograd history (loading weights, EMA).
int ct_copy_(ct_tensor dst, ct_tensor src, ct_error *err);
// In-place updates without autograd history: dst = dst op src (EMA, manual updates).
int ct_inplace_binary(ct_tensor dst, ct_tensor src, ct_binary_op op, ct_error *err);
int ct_inplace_binary_scalar(ct_tensor dst, double s, ct_binary_op op, ct_error *err);
int ct_fill_(ct_tensor dst, double value, ct_error *err);
// Initialisers (no autograd history): uniform_(a, b), normal_(mean, std).
int ct_uniform_(ct_tensor dst, double a, double b, ct_error *err);
int ct_normal_(ct_tensor dst, double mean, double std, ct_error *err);

// ---- shape ops ---------------------------------------------------------------------------------
int ct_reshape(ct_tensor *out, ct_tensor t, const int64_t *shape, int64_t ndim, ct_error *err);
int ct_permute(ct_tensor *out, ct_tensor t, const int64_t *dims, int64_t ndim, ct_error *err);
int ct_transpose(ct_tensor *out, ct_tensor t, int64_t dim0, int64_t dim1, ct_error *err);
int ct_cat(ct_tensor *out, const ct_tensor *ts, int64_t n, int64_t dim, ct_error *err);
int ct_stack(ct_tensor *out, const ct_tensor *ts, int64_t n, int64_t dim, ct_error *err);
int ct_narrow(ct_tensor *out, ct_tensor t, int64_t dim, int64_t start, int64_t length, ct_error *err);
int ct_slice(ct_tensor *out, ct_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step, ct_error *err);
int ct_index_select(ct_tensor *out, ct_tensor t, int64_t dim, ct_tensor index, ct_error *err);
int ct_gather(ct_tensor *out, ct_tensor t, int64_t dim, ct_tensor index, ct_error *err);
int ct_squeeze(ct_tensor *out, ct_tensor t, int64_t dim, ct_error *err);
int ct_squeeze_all(ct_tensor *out, ct_tensor t, ct_error *err);
int ct_unsqueeze(ct_tensor *out, ct_tensor t, int64_t dim, ct_error *err);
int ct_expand(ct_tensor *out, ct_tensor t, const int64_t *shape, int64_t ndim, ct_error *err);
int ct_contiguous(ct_tensor *out, ct_tensor t, ct_error *err);
// pads: (left, right, top, bottom, ...) as in torch.nn.functional.pad, last dimension first.
int ct_pad(ct_tensor *out, ct_tensor t, const int64_t *pads, int64_t npads, ct_pad_mode mode, double value, ct_error *err);
int ct_where(ct_tensor *out, ct_tensor cond, ct_tensor a, ct_tensor b, ct_error *err);

// ---- arithmetic, comparisons, reductions ---------------------------------------------------------
int ct_unary(ct_tensor *out, ct_tensor x, ct_unary_op op, ct_error *err);
int ct_binary(ct_tensor *out, ct_tensor a, ct_tensor b, ct_binary_op op, ct_error *err);
int ct_binary_scalar(ct_tensor *out, ct_tensor a, double s, ct_binary_op op, ct_error *err);
int ct_scalar_binary(ct_tensor *out, double s, ct_tensor b, ct_binary_op op, ct_error *err);
int ct_clamp(ct_tensor *out, ct_tensor x, double lo, double hi, bool has_lo, bool has_hi, ct_error *err);
int ct_leaky_relu(ct_tensor *out, ct_tensor x, double slope, ct_error *err);
// dims == NULL or ndims == 0 reduces over all dimensions. MAX/MIN over several dims reduce one by one.
int ct_reduce(ct_tensor *out, ct_tensor x, ct_reduce_op op, const int64_t *dims, int64_t ndims, bool keepdim, ct_error *err);
int ct_max_dim(ct_tensor *values, ct_tensor *indices, ct_tensor x, int64_t dim, bool keepdim, ct_error *err);
int ct_argmax(ct_tensor *out, ct_tensor x, int64_t dim, bool keepdim, ct_error *err);
int ct_norm(ct_tensor *out, ct_tensor x, double p, const int64_t *dims, int64_t ndims, bool keepdim, ct_error *err);
int ct_softmax(ct_tensor *out, ct_tensor x, int64_t dim, ct_error *err);
int ct_log_softmax(ct_tensor *out, ct_tensor x, int64_t dim, ct_error *err);

// ---- linear algebra and layers -------------------------------------------------------------------
int ct_matmul(ct_tensor *out, ct_tensor a, ct_tensor b, ct_error *err);
int ct_bmm(ct_tensor *out, ct_tensor a, ct_tensor b, ct_error *err);
int ct_linear(ct_tensor *out, ct_tensor x, ct_tensor w, ct_tensor bias, ct_error *err);
// stride, padding, dilation: 2 values each (height, width).
int ct_conv2d(ct_tensor *out, ct_tensor x, ct_tensor w, ct_tensor bias, const int64_t *stride,
              const int64_t *padding, const int64_t *dilation, int64_t groups, ct_error *err);
int ct_conv_transpose2d(ct_tensor *out, ct_tensor x, ct_tensor w, ct_tensor bias, const int64_t *stride,
                        const int64_t *padding, const int64_t *output_padding, const int64_t *dilation,
                        int64_t groups, ct_error *err);
// In training mode running_mean/running_var are updated in place (momentum as in PyTorch).
int ct_batch_norm(ct_tensor *out, ct_tensor x, ct_tensor weight, ct_tensor bias, ct_tensor running_mean,
                  ct_tensor running_var, bool training, double momentum, double eps, ct_error *err);
int ct_layer_norm(ct_tensor *out, ct_tensor x, const int64_t *normalized_shape, int64_t ndim, ct_tensor weight,
                  ct_tensor bias, double eps, ct_error *err);
int ct_dropout(ct_tensor *out, ct_tensor x, double p, bool training, ct_error *err);
// kernel, stride, padding (and dilation): 2 values each.
int ct_max_pool2d(ct_tensor *out, ct_tensor x, const int64_t *kernel, const int64_t *stride,
                  const int64_t *padding, const int64_t *dilation, bool ceil_mode, ct_error *err);
int ct_avg_pool2d(ct_tensor *out, ct_tensor x, const int64_t *kernel, const int64_t *stride,
                  const int64_t *padding, bool ceil_mode, bool count_include_pad, ct_error *err);
int ct_adaptive_avg_pool2d(ct_tensor *out, ct_tensor x, const int64_t *output_size, ct_error *err);
int ct_adaptive_max_pool2d(ct_tensor *out, ct_tensor x, const int64_t *output_size, ct_error *err);
int ct_interpolate(ct_tensor *out, ct_tensor x, const int64_t *size, ct_interp_mode mode, bool align_corners, ct_error *err);
// LSTM over x (T x B x I, or B x T x I when batch_first). params: per layer and direction
// w_ih, w_hh[, b_ih, b_hh] in PyTorch's order. h0/c0 optional (zeros). Writes output, h_n, c_n.
int ct_lstm(ct_tensor *output, ct_tensor *h_n, ct_tensor *c_n, ct_tensor x, ct_tensor h0, ct_tensor c0,
            const ct_tensor *params, int64_t nparams, bool has_biases, int64_t num_layers, double dropout,
            bool training, bool bidirectional, bool batch_first, ct_error *err);

// ---- losses ------------------------------------------------------------------------------------
// log_probs: T x B x C (log-softmax). targets: B x S (padded) int64. Lengths are host arrays of B.
int ct_ctc_loss(ct_tensor *out, ct_tensor log_probs, ct_tensor targets, const int64_t *input_lengths,
                const int64_t *target_lengths, int64_t batch, int64_t blank, ct_reduction reduction,
                bool zero_infinity, ct_error *err);
int ct_bce(ct_tensor *out, ct_tensor x, ct_tensor y, ct_tensor weight, ct_reduction reduction, ct_error *err);
int ct_bce_with_logits(ct_tensor *out, ct_tensor x, ct_tensor y, ct_tensor weight, ct_tensor pos_weight,
                       ct_reduction reduction, ct_error *err);
int ct_l1_loss(ct_tensor *out, ct_tensor x, ct_tensor y, ct_reduction reduction, ct_error *err);
int ct_smooth_l1_loss(ct_tensor *out, ct_tensor x, ct_tensor y, double beta, ct_reduction reduction, ct_error *err);
int ct_mse_loss(ct_tensor *out, ct_tensor x, ct_tensor y, ct_reduction reduction, ct_error *err);
// logits: B x C, target: B int64 class indices.
int ct_cross_entropy(ct_tensor *out, ct_tensor logits, ct_tensor target, ct_tensor weight, ct_reduction reduction,
                     int64_t ignore_index, double label_smoothing, ct_error *err);

// ---- autograd ----------------------------------------------------------------------------------
int ct_set_requires_grad(ct_tensor t, bool requires_grad, ct_error *err);
int ct_backward(ct_tensor t, ct_tensor grad, bool retain_graph, ct_error *err);
// *out gets the gradient, or a NULL handle when the tensor has none yet.
int ct_grad(ct_tensor *out, ct_tensor t, ct_error *err);
int ct_zero_grad(ct_tensor t, ct_error *err);      // sets the gradient to none
int ct_detach(ct_tensor *out, ct_tensor t, ct_error *err);
bool ct_grad_enabled(void);                         // per thread, as in LibTorch
void ct_set_grad_enabled(bool enabled);
// Scales gradients in place so their global p-norm is at most max_norm; writes the norm before.
int ct_clip_grad_norm(const ct_tensor *params, int64_t n, double max_norm, double norm_type,
                      double *total_norm, ct_error *err);

// ---- optimizers (LibTorch's own) -----------------------------------------------------------------
typedef struct {
  double lr, weight_decay;
  double momentum, dampening; bool nesterov;    // SGD
  double beta1, beta2, eps; bool amsgrad;        // Adam, AdamW
} ct_optim_options;

int ct_optimizer_new(ct_optimizer *out, ct_optim_kind kind, const ct_tensor *params, int64_t n,
                     ct_optim_options options, ct_error *err);
int ct_optimizer_add_group(ct_optimizer opt, const ct_tensor *params, int64_t n, ct_optim_options options, ct_error *err);
void ct_optimizer_free(ct_optimizer opt);
int ct_optimizer_step(ct_optimizer opt, ct_error *err);
int ct_optimizer_zero_grad(ct_optimizer opt, ct_error *err);
int64_t ct_optimizer_group_count(ct_optimizer opt);
int ct_optimizer_set_lr(ct_optimizer opt, int64_t group, double lr, ct_error *err);
int ct_optimizer_get_lr(ct_optimizer opt, int64_t group, double *lr, ct_error *err);
// Per-parameter state by key: "step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq" (Adam/AdamW),
// "momentum_buffer" (SGD). get writes a NULL handle when the state does not exist yet.
int ct_optimizer_state_get(ct_tensor *out, ct_optimizer opt, int64_t group, int64_t index, const char *key, ct_error *err);
int ct_optimizer_state_set(ct_optimizer opt, int64_t group, int64_t index, const char *key, ct_tensor value, ct_error *err);

// ---- RNG and threads -----------------------------------------------------------------------------
void ct_manual_seed(uint64_t seed);
int ct_rng_state_get(ct_tensor *out, ct_error *err);       // uint8 tensor
int ct_rng_state_set(ct_tensor state, ct_error *err);
void ct_set_num_threads(int n);
int ct_get_num_threads(void);

// ---- mixed precision -----------------------------------------------------------------------------
// CPU autocast (per thread, as in LibTorch): convolutions, matmuls and LSTMs run in bfloat16 while
// enabled; reductions and losses stay in float32. Clear the cast-weight cache after each step.
void ct_set_autocast_bf16(bool enabled);
bool ct_autocast_bf16_enabled(void);
void ct_autocast_clear_cache(void);

#ifdef __cplusplus
}
#endif
#endif
