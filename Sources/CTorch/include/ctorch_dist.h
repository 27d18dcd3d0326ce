// ctorch_dist.h - data-parallel collectives over LibTorch's c10d (Gloo on CPUs). Pure C, same
// rules as ctorch.h: handles written through out-parameters are owned by the caller (+1) and
// released with their _free function; inputs are borrowed; every entry point returns 0 or fills
// *err with a message naming the op, this rank and the world size. A peer that dies or stops
// answering makes the waiting collective fail within the group's timeout - never a hang, never
// an abort.
//
// One group serves one thread at a time: every rank must call the collectives in the same order
// (as in torch.distributed). Swift imports this header through the module's umbrella directory.
#ifndef CTORCH_DIST_H
#define CTORCH_DIST_H

#include "ctorch.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct { void *ptr; } ct_store;
typedef struct { void *ptr; } ct_process_group;

// CT_DIST_NCCL: NVIDIA's collectives between GPUs; only in a build against a CUDA LibTorch
// (USE_C10D_NCCL, see Package.swift), elsewhere asking for it fails with a message saying so.
// NCCL's own failure handling applies there: a lost peer is noticed by LibTorch's NCCL watchdog,
// which (with TORCH_NCCL_ASYNC_ERROR_HANDLING) ends the process rather than returning an error.
typedef enum { CT_DIST_GLOO, CT_DIST_NCCL } ct_dist_backend;

// CT_DIST_AVERAGE: the sum divided by the world size (gradient averaging).
typedef enum { CT_DIST_SUM, CT_DIST_AVERAGE } ct_dist_reduce;

// A TCP key-value store at host:port (torchrun's MASTER_ADDR / MASTER_PORT). is_server: host it
// here (rank 0 without torchrun); port 0 then picks a free port (read it with ct_store_port).
// Clients retry connecting until timeout_seconds.
int ct_store_tcp(ct_store *out, const char *host, int port, bool is_server, int world_size,
                 double timeout_seconds, ct_error *err);
void ct_store_free(ct_store store);                 // NULL-safe
int ct_store_port(ct_store store);                  // the port actually used; -1 for a NULL handle

// A Gloo process group of world_size ranks meeting in `store` under key prefix `prefix` (torchrun
// workers use "/worker/attempt_N"; "" for none). Blocks until every rank has joined or the timeout
// passes. The timeout also bounds every collective on the group.
// backend: CT_DIST_GLOO (CPU tensors, or CUDA ones in a CUDA build) or CT_DIST_NCCL, whose
// collectives run on cuda_device (this rank's GPU; ignored for Gloo): CPU tensors given to an NCCL
// group are copied there and back, so small host-side agreements still work.
int ct_process_group_new(ct_process_group *out, ct_store store, const char *prefix, int rank, int world_size,
                         double timeout_seconds, ct_dist_backend backend, int cuda_device, ct_error *err);
void ct_process_group_free(ct_process_group pg);    // NULL-safe
int ct_process_group_rank(ct_process_group pg);     // -1 for a NULL handle
int ct_process_group_size(ct_process_group pg);     // -1 for a NULL handle

// In place on every rank: each tensor becomes the sum (or average) of that tensor over the ranks.
// Tensors are flattened into buckets of at most bucket_bytes per dtype (0: 25 MiB, as PyTorch's
// DDP) so a model's hundred tensors cost a few calls. Shapes must agree across ranks.
int ct_all_reduce(ct_process_group pg, const ct_tensor *ts, int64_t n, ct_dist_reduce op, int64_t bucket_bytes,
                  ct_error *err);
// The same on the gradients of `params`; a parameter without a gradient on this rank gets a zero
// one first, so every rank sends the same list (and ends with the same gradients).
int ct_all_reduce_grads(ct_process_group pg, const ct_tensor *params, int64_t n, ct_dist_reduce op,
                        int64_t bucket_bytes, ct_error *err);
// In place: every rank's tensors get root's values (bucketed like ct_all_reduce).
int ct_broadcast(ct_process_group pg, const ct_tensor *ts, int64_t n, int root, ct_error *err);
// Returns once every rank has called it (or fails at the timeout).
int ct_barrier(ct_process_group pg, ct_error *err);

// Differentiable all-reduce: *out is the sum of x over the ranks (x is left as it is). In backward
// the gradient reaching *out is summed over the ranks too, so the gradient reaching x is that of
// the ranks' summed losses with respect to this rank's contribution. Every rank must run the
// forward and the backward in the same order (each is one collective on the group); the group
// is kept alive by the graph until the backward has run.
int ct_all_reduce_sum_autograd(ct_tensor *out, ct_process_group pg, ct_tensor x, ct_error *err);

// Synchronised batch norm, training mode (PyTorch's SyncBatchNorm): x is N x C x ..., normalised
// with the mean and biased variance of channel c over every rank's batch. One differentiable
// all-reduce per call carries [sum (C), sum of squares (C), count] in float64; gradients flow
// through it, so with the engine's gradient average 2 ranks x batch b train as 1 process x batch
// 2b. running_mean / running_var (may be NULL, as weight and bias) are updated in place with
// momentum from the global mean and unbiased variance, identically on every rank. Eval mode has
// no collective: use ct_batch_norm.
int ct_sync_batch_norm(ct_tensor *out, ct_process_group pg, ct_tensor x, ct_tensor weight, ct_tensor bias,
                       ct_tensor running_mean, ct_tensor running_var, double momentum, double eps, ct_error *err);

#ifdef __cplusplus
}
#endif
#endif
