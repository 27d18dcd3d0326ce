#!/usr/bin/env bash
# The GPU path's check, for a machine with an NVIDIA GPU (not part of CI, which has none):
# builds the C shim and the test targets against an official CUDA LibTorch and runs the op tests
# (TorchTests, NNTests) and the engine's device and data-parallel tests with
# OCRKIT_TEST_DEVICE=cuda, so the tests that read it place their tensors on the GPU and compare a
# few training steps there with the CPU.
#
#   LIBTORCH=/opt/libtorch CUDA_HOME=/usr/local/cuda scripts/gpu-check.sh
#
# LIBTORCH: an unpacked official LibTorch with CUDA (the cxx11-ABI download; it has
# lib/libtorch_cuda.so). CUDA_HOME: a CUDA toolkit whose include/ has cuda_runtime_api.h, and
# nccl.h unless NCCL_HOME names another folder with include/nccl.h (ct_dist.cpp's NCCL group needs
# both). OCRKIT_TEST_DEVICE: another GPU, e.g. cuda:1. Builds into .build-cuda so the CPU build in
# .build is left as it is. JOBS: parallel compile jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { printf '\033[1;31mgpu-check:\033[0m %s\n' "$*" >&2; exit 1; }

[ -n "${LIBTORCH:-}" ] || fail "LIBTORCH is not set: point it at an unpacked official CUDA LibTorch (the folder holding include/ and lib/), e.g. LIBTORCH=/opt/libtorch $0"
[ -f "$LIBTORCH/lib/libtorch_cuda.so" ] || fail "LIBTORCH=$LIBTORCH has no lib/libtorch_cuda.so: that is a CPU-only LibTorch. Download a CUDA one (pytorch.org, LibTorch, cxx11 ABI) and point LIBTORCH at it."
command -v nvidia-smi >/dev/null 2>&1 || fail "nvidia-smi not found: this machine has no NVIDIA driver, so there is no GPU to check on."
gpus=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | grep -c . || true)
[ "${gpus:-0}" -gt 0 ] || fail "nvidia-smi finds no GPU on this machine."
export CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}"
[ -f "$CUDA_HOME/include/cuda_runtime_api.h" ] || fail "CUDA toolkit headers not found in $CUDA_HOME/include: set CUDA_HOME to a CUDA toolkit (LibTorch's CUDA headers include them)."
if [ -n "${NCCL_HOME:-}" ]; then
  [ -f "$NCCL_HOME/include/nccl.h" ] || fail "NCCL_HOME=$NCCL_HOME has no include/nccl.h."
else
  [ -f "$CUDA_HOME/include/nccl.h" ] || fail "nccl.h not found in $CUDA_HOME/include: install NCCL's headers (libnccl-dev) or set NCCL_HOME to a folder with include/nccl.h."
fi
export LIBTORCH
scripts/check-deps.sh
echo "gpu-check: $gpus GPU(s): $(nvidia-smi --query-gpu=name --format=csv,noheader | paste -sd ', ')"

scratch=.build-cuda
# Package.swift links torch_cuda and defines USE_C10D_NCCL because LIBTORCH has libtorch_cuda.so.
swift build --scratch-path "$scratch" --build-tests -j "${JOBS:-$(nproc)}"
export OCRKIT_TEST_DEVICE="${OCRKIT_TEST_DEVICE:-cuda}"
echo "gpu-check: running the op tests with OCRKIT_TEST_DEVICE=$OCRKIT_TEST_DEVICE"
swift test --scratch-path "$scratch" --skip-build \
  --filter 'TorchTests|NNTests|OCRTrainTests.DeviceConfigTests|OCRTrainTests.DataParallel'
echo "gpu-check: passed on $OCRKIT_TEST_DEVICE"
