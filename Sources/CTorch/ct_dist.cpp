// Data-parallel collectives: LibTorch's own c10d (TCPStore + ProcessGroupGloo), no home-made
// all-reduce. The only translation unit that includes the c10d and Gloo headers (they are heavy).
// Debian's libtorch exports ProcessGroupGloo but its headers need the Gloo headers
// (libgloo-dev) and the USE_C10D_GLOO switch the library was built with.
#if !__has_include(<gloo/context.h>)
#error "OCRKit: Gloo headers not found (needed by LibTorch's ProcessGroupGloo). Run scripts/setup.sh (installs libgloo-dev)."
#endif
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

// ---- NCCL (GPU builds only) ----------------------------------------------------------------------
// Package.swift defines USE_C10D_NCCL when LIBTORCH names a CUDA LibTorch (lib/libtorch_cuda.so);
// ProcessGroupNCCL's header then needs the CUDA toolkit's and NCCL's headers (CUDA_HOME).
#ifdef USE_C10D_NCCL
#if !__has_include(<nccl.h>)
#error "OCRKit: nccl.h not found. A CUDA LibTorch build needs NCCL's headers: set CUDA_HOME to a CUDA toolkit with NCCL (or NCCL_HOME), see scripts/gpu-check.sh."
#else
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

#include <ATen/core/grad_mode.h>
#include <torch/csrc/autograd/custom_function.h>

#include <csignal>
#include <cstdlib>
#include <map>

#include "ct_internal.hpp"
#include "ctorch_dist.h"

using ct::T;

namespace {

// What the collectives below call: ProcessGroup in LibTorch 1.x, Backend since 2.0 (both the Gloo
// and the NCCL group derive from it).
#if TORCH_VERSION_MAJOR >= 2
using Collectives = c10d::Backend;
#else
using Collectives = c10d::ProcessGroup;
#endif

using Clock = std::chrono::milliseconds;

Clock millis(double seconds) {
  if (!(seconds > 0)) throw std::invalid_argument("timeout must be positive, got " + std::to_string(seconds) + " s");
  return Clock(static_cast<int64_t>(seconds * 1000));
}

struct Store {
  c10::intrusive_ptr<c10d::TCPStore> impl;
};

struct Group {
  c10::intrusive_ptr<Collectives> impl;
  int rank, size;
  double timeout;
  // Where collectives run: the CPU for Gloo, this rank's GPU for NCCL (see on_device).
  at::Device device = at::Device(at::kCPU);
};

// A flattened bucket on the group's device: NCCL reduces GPU memory only, so a CPU bucket (the
// engine's loss and stop agreements) goes there and unflatten copies the result back.
at::Tensor on_device(const Group &g, at::Tensor flat) { return flat.device() == g.device ? flat : flat.to(g.device); }

Store &S(ct_store s) {
  if (!s.ptr) throw std::invalid_argument("missing store (NULL handle)");
  return *static_cast<Store *>(s.ptr);
}
Group &G(ct_process_group g) {
  if (!g.ptr) throw std::invalid_argument("missing process group (NULL handle)");
  return *static_cast<Group *>(g.ptr);
}

// "all_reduce (3 tensors; rank 1 of 2, timeout 30 s)": every message says which rank failed in which op.
std::string label(const char *op, const Group *g, const std::string &what) {
  std::ostringstream s;
  s << op << " (" << what;
  if (g) s << "; rank " << g->rank << " of " << g->size << ", timeout " << g->timeout << " s";
  s << ")";
  return s.str();
}

// Gloo reports a dead peer as a closed connection and a silent one as a timeout, naming only an
// address; say what it means, and with two ranks which rank that is.
std::string explain(const Group &g, const std::string &what) {
  bool lost = what.find("Connection closed") != std::string::npos || what.find("Connection reset") != std::string::npos ||
              what.find("Timed out") != std::string::npos || what.find("timed out") != std::string::npos ||
              what.find("Broken pipe") != std::string::npos;
  if (!lost) return what;
  std::string peer = g.size == 2 ? "rank " + std::to_string(1 - g.rank) : "a peer rank";
  return what + " - " + peer + " exited or stopped answering";
}

std::vector<at::Tensor> tensors(const ct_tensor *ts, int64_t n) {
  if (n > 0 && !ts) throw std::invalid_argument("NULL tensor list");
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; i++) v.push_back(T(ts[i]));
  return v;
}

// Consecutive runs of same-dtype tensors of at most `cap` bytes (order kept within a dtype).
std::vector<std::vector<at::Tensor>> buckets(const std::vector<at::Tensor> &ts, int64_t cap) {
  if (cap <= 0) cap = 25 * 1024 * 1024;
  std::map<at::ScalarType, std::vector<std::vector<at::Tensor>>> by;
  std::map<at::ScalarType, int64_t> filled;
  for (const auto &t : ts) {
    auto &list = by[t.scalar_type()];
    int64_t bytes = t.numel() * static_cast<int64_t>(t.element_size());
    if (list.empty() || filled[t.scalar_type()] + bytes > cap) {
      list.emplace_back();
      filled[t.scalar_type()] = 0;
    }
    list.back().push_back(t);
    filled[t.scalar_type()] += bytes;
  }
  std::vector<std::vector<at::Tensor>> out;
  for (auto &kv : by)
    for (auto &b : kv.second) out.push_back(std::move(b));
  return out;
}

at::Tensor flatten(const std::vector<at::Tensor> &bucket) {
  std::vector<at::Tensor> flat;
  flat.reserve(bucket.size());
  for (const auto &t : bucket) flat.push_back(t.reshape({-1}));
  return at::cat(flat);
}

void unflatten(const at::Tensor &flat, const std::vector<at::Tensor> &bucket) {
  int64_t offset = 0;
  for (const auto &t : bucket) {
    t.copy_(flat.narrow(0, offset, t.numel()).view(t.sizes()));
    offset += t.numel();
  }
}

void wait_all(const std::vector<c10::intrusive_ptr<c10d::Work>> &works) {
  // Wait for every launched bucket even after a failure, so none still runs on freed memory.
  std::exception_ptr first;
  for (const auto &w : works) {
    try {
      w->wait();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

// Runs a collective, rewriting Gloo's messages (see explain).
template <class F>
void guarded(const Group &g, F body) {
  try {
    body();
  } catch (const c10::Error &e) {
    throw std::runtime_error(explain(g, e.what_without_backtrace()));
  } catch (const std::exception &e) {
    throw std::runtime_error(explain(g, e.what()));
  }
}

void all_reduce(Group &g, const std::vector<at::Tensor> &ts, ct_dist_reduce op, int64_t cap) {
  if (op != CT_DIST_SUM && op != CT_DIST_AVERAGE) throw std::invalid_argument("unknown ct_dist_reduce");
  at::NoGradGuard no_grad;
  auto bs = buckets(ts, cap);
  std::vector<at::Tensor> flats;
  std::vector<c10::intrusive_ptr<c10d::Work>> works;
  for (const auto &b : bs) {
    if (op == CT_DIST_AVERAGE && !at::isFloatingType(b.front().scalar_type()))
      throw std::invalid_argument(std::string("cannot average ") + c10::toString(b.front().scalar_type()) + " tensors");
    flats.push_back(on_device(g, flatten(b)));
  }
  guarded(g, [&] {
    for (auto &f : flats) {
      std::vector<at::Tensor> one{f};
      works.push_back(g.impl->allreduce(one, c10d::AllreduceOptions{c10d::ReduceOp::SUM}));
    }
    wait_all(works);
  });
  for (size_t i = 0; i < bs.size(); i++) {
    if (op == CT_DIST_AVERAGE) flats[i].div_(g.size);
    unflatten(flats[i], bs[i]);
  }
}

// The sum over the ranks as an autograd function. The backward needs the group after the entry
// point has returned: the context holds a copy of it (a reference to the Gloo group, which stays
// alive with the graph even if the caller frees its handle first).
struct GroupRef : torch::CustomClassHolder {
  explicit GroupRef(Group g) : g(std::move(g)) {}
  Group g;
};

struct AllReduceSum : torch::autograd::Function<AllReduceSum> {
  static at::Tensor forward(torch::autograd::AutogradContext *ctx, const at::Tensor &x, Group *g) {
    ctx->saved_data["group"] = c10::IValue::make_capsule(c10::make_intrusive<GroupRef>(*g));
    at::Tensor sum = x.clone(at::MemoryFormat::Contiguous);
    all_reduce(*g, {sum}, CT_DIST_SUM, 0);
    return sum;
  }

  // d(sum over ranks of loss_r) / d(x on this rank) = sum over ranks r of d loss_r / d out. The
  // engine then averages parameter gradients over the ranks, which makes it the gradient of the
  // mean of the ranks' losses: the single-process loss of the global batch.
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                 torch::autograd::variable_list grads) {
    auto ref = c10::static_intrusive_pointer_cast<GroupRef>(ctx->saved_data["group"].toCapsule());
    at::Tensor g = grads[0].clone(at::MemoryFormat::Contiguous);  // materialised (zeros) when undefined
    try {
      all_reduce(ref->g, {g}, CT_DIST_SUM, 0);
    } catch (const std::exception &e) {  // runs inside backward(): say which collective failed
      std::ostringstream what;
      what << "gradient " << g.sizes();
      throw std::runtime_error(label("all_reduce_sum_autograd backward", &ref->g, what.str()) + ": " + e.what());
    }
    return {g, at::Tensor()};                                     // none for the group argument
  }
};

// SyncBatchNorm's forward from differentiable ops: autograd derives the backward, including the
// path through the global statistics (summed over the ranks by AllReduceSum's backward).
at::Tensor sync_batch_norm(Group &g, const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias,
                           const at::Tensor &running_mean, const at::Tensor &running_var, double momentum, double eps) {
  if (x.dim() < 2) throw std::invalid_argument("expected an N x C x ... input");
  const int64_t c = x.size(1);
  if (c == 0) throw std::invalid_argument("no channels");
  std::vector<int64_t> reduce{0}, perChannel(static_cast<size_t>(x.dim()), 1);  // 1 x C x 1 x 1
  for (int64_t d = 2; d < x.dim(); d++) reduce.push_back(d);
  perChannel[1] = c;
  // Statistics of half / bfloat16 inputs (autocast) in float32, as at::batch_norm's.
  const bool reduced = x.scalar_type() == at::kHalf || x.scalar_type() == at::kBFloat16;
  const at::Tensor xf = reduced ? x.to(at::kFloat) : x;
  // [sum (C), sum of squares (C), count]: float64, because E[x^2] - E[x]^2 cancels in float32
  // when |mean| >> std. One all-reduce per layer and step.
  const double count = static_cast<double>(x.numel() / c);
  at::Tensor local = at::cat({xf.sum(reduce, false, at::kDouble), (xf * xf).sum(reduce, false, at::kDouble),
                              at::full({1}, count, xf.options().dtype(at::kDouble))});
  at::Tensor total = AllReduceSum::apply(local, &g);
  const double n = total[2 * c].item<double>();  // host sync (the sum of the ranks' counts)
  if (!(n > 1))
    throw std::invalid_argument("expected more than 1 value per channel when training, got " +
                                std::to_string(static_cast<int64_t>(n)) + " over all ranks");
  at::Tensor mean = total.narrow(0, 0, c) / n;
  at::Tensor var = (total.narrow(0, c, c) / n - mean * mean).clamp_min(0);  // biased: normalises
  at::Tensor scale = (var + eps).rsqrt();
  if (weight.defined()) scale = scale * weight.to(at::kDouble);
  at::Tensor shift = -mean * scale;
  if (bias.defined()) shift = shift + bias.to(at::kDouble);
  // y = (x - mean) / sqrt(var + eps) * weight + bias = x * scale + shift, in x's precision.
  at::Tensor y = xf * scale.to(xf.scalar_type()).view(perChannel) + shift.to(xf.scalar_type()).view(perChannel);
  {
    at::NoGradGuard no_grad;  // running statistics: PyTorch's update, unbiased variance
    if (running_mean.defined())
      running_mean.mul_(1 - momentum).add_(mean.detach().to(running_mean.scalar_type()), momentum);
    if (running_var.defined())
      running_var.mul_(1 - momentum).add_((var.detach() * (n / (n - 1))).to(running_var.scalar_type()), momentum);
  }
  return reduced ? y.to(x.scalar_type()) : y;
}

std::string shape(ct_tensor t) {
  if (!t.ptr) return "NULL";
  std::ostringstream s;
  s << static_cast<at::Tensor *>(t.ptr)->sizes();
  return s.str();
}

// Like ct::fail, for ops whose description is already a full sentence head: "op (details): what".
int fail(ct_error *err, const std::string &op, const char *what) {
  if (err) {
    std::string m = op + ": " + what;
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    std::free(err->message);
    err->message = strdup(m.c_str());
  }
  return 1;
}

}  // namespace

// CT_TRY ... CT_DIST_CATCH(name): CT_CATCH without a tensor list (the name says what was involved).
#define CT_DIST_CATCH(name)                                   \
  return 0;                                                   \
  }                                                           \
  catch (const c10::Error &e) {                               \
    return fail(err, name, e.what_without_backtrace());       \
  }                                                           \
  catch (const std::exception &e) {                           \
    return fail(err, name, e.what());                         \
  }                                                           \
  catch (...) {                                               \
    return fail(err, name, "unknown C++ exception");          \
  }

extern "C" {

int ct_store_tcp(ct_store *out, const char *host, int port, bool is_server, int world_size, double timeout_seconds,
                 ct_error *err) {
  std::string op = "store_tcp(" + std::string(host ? host : "NULL") + ":" + std::to_string(port) +
                   (is_server ? ", hosting" : "") + ")";
  CT_TRY
    if (!host) throw std::invalid_argument("missing host");
    if (port < 0 || port > 65535) throw std::invalid_argument("port out of range");
    if (world_size < 1) throw std::invalid_argument("world size must be at least 1");
    c10d::TCPStoreOptions o;
    o.port = static_cast<std::uint16_t>(port);
    o.isServer = is_server;
    o.numWorkers = static_cast<size_t>(world_size);
    o.waitWorkers = false;  // the process group's rendezvous waits for the ranks, under its own timeout
    o.timeout = millis(timeout_seconds);
    *out = ct_store{new Store{c10::make_intrusive<c10d::TCPStore>(host, o)}};
  CT_DIST_CATCH(op)
}

void ct_store_free(ct_store store) { delete static_cast<Store *>(store.ptr); }

int ct_store_port(ct_store store) {
  if (!store.ptr) return -1;
  try {
    return static_cast<Store *>(store.ptr)->impl->getPort();
  } catch (...) {
    return -1;
  }
}

int ct_process_group_new(ct_process_group *out, ct_store store, const char *prefix, int rank, int world_size,
                         double timeout_seconds, ct_dist_backend backend, int cuda_device, ct_error *err) {
  std::string op = "process_group_new (rank " + std::to_string(rank) + " of " + std::to_string(world_size) + ", " +
                   (backend == CT_DIST_NCCL ? "nccl" : "gloo") + ")";
  CT_TRY
    if (world_size < 1) throw std::invalid_argument("world size must be at least 1");
    if (rank < 0 || rank >= world_size) throw std::invalid_argument("rank out of range");
    // A peer that dies mid-send must give this rank an error, not kill it with SIGPIPE (Python,
    // torchrun's usual host, ignores SIGPIPE from startup; a Swift program does not).
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) std::signal(SIGPIPE, SIG_IGN);
    c10::intrusive_ptr<c10d::Store> s = S(store).impl;
    if (prefix && *prefix) s = c10::make_intrusive<c10d::PrefixStore>(prefix, s);
    if (backend == CT_DIST_NCCL) {
#ifdef USE_C10D_NCCL
      if (cuda_device < 0) throw std::invalid_argument("nccl needs this rank's CUDA device index, got " + std::to_string(cuda_device));
      auto nccl = c10d::ProcessGroupNCCL::Options::create();
      nccl->timeout = millis(timeout_seconds);
      auto pg = c10::make_intrusive<c10d::ProcessGroupNCCL>(s, rank, world_size, nccl);
      *out = ct_process_group{new Group{pg, rank, world_size, timeout_seconds, at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(cuda_device))}};
      return 0;
#else
      throw std::invalid_argument("this LibTorch build has no NCCL (built without USE_C10D_NCCL); build with "
                                  "LIBTORCH=<an official CUDA LibTorch> for GPU training, or use the gloo backend");
#endif
    }
    if (backend != CT_DIST_GLOO) throw std::invalid_argument("unknown ct_dist_backend " + std::to_string(static_cast<int>(backend)));
    auto options = c10d::ProcessGroupGloo::Options::create(millis(timeout_seconds));
    // GLOO_SOCKET_IFNAME picks the interface, as in torch.distributed; otherwise the address this
    // host's name resolves to (loopback when it resolves to nothing usable).
    const char *ifname = std::getenv("GLOO_SOCKET_IFNAME");
    options->devices.push_back(ifname && *ifname ? c10d::ProcessGroupGloo::createDeviceForInterface(ifname)
                                                 : c10d::ProcessGroupGloo::createDefaultDevice());
    options->threads = 2;
    auto pg = c10::make_intrusive<c10d::ProcessGroupGloo>(s, rank, world_size, options);
    *out = ct_process_group{new Group{pg, rank, world_size, timeout_seconds}};
  CT_DIST_CATCH(op)
}

void ct_process_group_free(ct_process_group pg) {
  try {
    delete static_cast<Group *>(pg.ptr);
  } catch (...) {
  }
}

int ct_process_group_rank(ct_process_group pg) { return pg.ptr ? static_cast<Group *>(pg.ptr)->rank : -1; }
int ct_process_group_size(ct_process_group pg) { return pg.ptr ? static_cast<Group *>(pg.ptr)->size : -1; }

int ct_all_reduce(ct_process_group pg, const ct_tensor *ts, int64_t n, ct_dist_reduce op, int64_t bucket_bytes,
                  ct_error *err) {
  std::string name = label("all_reduce", static_cast<Group *>(pg.ptr), std::to_string(n) + " tensors");
  CT_TRY
    all_reduce(G(pg), tensors(ts, n), op, bucket_bytes);
  CT_DIST_CATCH(name)
}

int ct_all_reduce_grads(ct_process_group pg, const ct_tensor *params, int64_t n, ct_dist_reduce op,
                        int64_t bucket_bytes, ct_error *err) {
  std::string name = label("all_reduce_grads", static_cast<Group *>(pg.ptr), std::to_string(n) + " parameters");
  CT_TRY
    std::vector<at::Tensor> grads;
    for (auto &p : tensors(params, n)) {
      if (!p.grad().defined()) p.mutable_grad() = at::zeros_like(p);
      grads.push_back(p.grad());
    }
    all_reduce(G(pg), grads, op, bucket_bytes);
  CT_DIST_CATCH(name)
}

int ct_broadcast(ct_process_group pg, const ct_tensor *ts, int64_t n, int root, ct_error *err) {
  std::string name = label("broadcast", static_cast<Group *>(pg.ptr), std::to_string(n) + " tensors from rank " + std::to_string(root));
  CT_TRY
    Group &g = G(pg);
    if (root < 0 || root >= g.size) throw std::invalid_argument("root rank out of range");
    at::NoGradGuard no_grad;
    auto bs = buckets(tensors(ts, n), 0);
    std::vector<at::Tensor> flats;
    for (const auto &b : bs) flats.push_back(on_device(g, flatten(b)));
    guarded(g, [&] {
      std::vector<c10::intrusive_ptr<c10d::Work>> works;
      for (auto &f : flats) {
        std::vector<at::Tensor> one{f};
        c10d::BroadcastOptions o;
        o.rootRank = root;
        works.push_back(g.impl->broadcast(one, o));
      }
      wait_all(works);
    });
    for (size_t i = 0; i < bs.size(); i++) unflatten(flats[i], bs[i]);
  CT_DIST_CATCH(name)
}

int ct_all_reduce_sum_autograd(ct_tensor *out, ct_process_group pg, ct_tensor x, ct_error *err) {
  std::string name = label("all_reduce_sum_autograd", static_cast<Group *>(pg.ptr), "input " + shape(x));
  CT_TRY
    Group &g = G(pg);
    *out = ct::wrap(AllReduceSum::apply(T(x), &g));
  CT_DIST_CATCH(name)
}

int ct_sync_batch_norm(ct_tensor *out, ct_process_group pg, ct_tensor x, ct_tensor weight, ct_tensor bias,
                       ct_tensor running_mean, ct_tensor running_var, double momentum, double eps, ct_error *err) {
  std::string name = label("sync_batch_norm", static_cast<Group *>(pg.ptr),
                           "input " + shape(x) + ", weight " + shape(weight) + ", running_mean " + shape(running_mean));
  CT_TRY
    *out = ct::wrap(sync_batch_norm(G(pg), T(x), ct::opt(weight), ct::opt(bias), ct::opt(running_mean),
                                    ct::opt(running_var), momentum, eps));
  CT_DIST_CATCH(name)
}

int ct_barrier(ct_process_group pg, ct_error *err) {
  std::string name = label("barrier", static_cast<Group *>(pg.ptr), "all ranks");
  CT_TRY
    Group &g = G(pg);
    guarded(g, [&] { g.impl->barrier()->wait(); });
  CT_DIST_CATCH(name)
}

}  // extern "C"
