# OCRKit - the two commands a newcomer types: `make demo` and `make test`. Each installs what it needs.
SWIFT ?= swift
RELEASE := -c release
# Thread pools and page faults (see Torch.ensureThreadingEnvironment for the measurements): the
# executables set these themselves; the test runner gets them from here.
export OPENBLAS_NUM_THREADS ?= 1
export GOMP_SPINCOUNT ?= 20000
export GLIBC_TUNABLES ?= glibc.malloc.hugetlb=1
# Two cores: keep SwiftPM from starting more compiler jobs than the machine can hold in memory.
JOBS ?= $(shell nproc)

.PHONY: setup deps build test test-asan bench bench-torch-twin bench-finetune bench-finetune-lines bench-cls base-model demo demo-scratch demo-det clean

setup:
	@bash scripts/setup.sh

deps: setup
	@bash scripts/check-deps.sh

build: deps
	$(SWIFT) build -j $(JOBS)

# The tests' second venv (RapidOCR 3.10.0, for the PP-OCRv6 page comparison; idempotent).
test: deps
	@bash scripts/test-venv.sh --rapidocr3
	$(SWIFT) build -j $(JOBS) --build-tests
	$(SWIFT) test -j $(JOBS) --skip-build
	bash scripts/check-ocr-links.sh .build/debug/ocr
	bash scripts/export-check.sh

# AddressSanitizer over the shim, Torch and NN (a separate build folder: ASan objects differ).
# XCTest on Linux leaks its own test-case objects; scripts/lsan.supp silences only those.
test-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp $(SWIFT) test -j $(JOBS) --sanitize=address --scratch-path .build-asan --filter 'TorchTests|NNTests'

bench: deps
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-bench
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product torch-bench-ref
	.build/release/ocr-bench foundation --reference .build/release/torch-bench-ref
	.build/release/ocr-bench training
	.build/release/ocr-bench onnx

# Issue 14: the training benchmark's CRNN in OCRKit (default layout, then --nproc 1) against its
# PyTorch eager twin (scripts/torch_twin.py), three alternating rounds, about 25 minutes; PASS/MISS
# against >= 1.5x the twin, p90/p10 <= 1.3 (docs/BENCHMARKS.md). Makes .deps/bench-torch-venv
# (PyTorch from PyPI, several GB) when missing. Options: TWIN_ARGS="--steps 24 --warmup 3 --rounds 3".
bench-torch-twin: deps
	bash scripts/bench-torch-twin.sh $(TWIN_ARGS)

# The text-line angle classifier from scratch for 5 minutes (configs/cls/cls_mv3.yml: 49 faces),
# then its accuracy on lines in seven faces it never saw, rendered with another seed than the lines
# best.h5 was chosen on. Report: runs/cls_mv3/eval/report.html.
bench-cls: deps
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-train
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-eval
	bash scripts/make-corpus.sh runs/corpus
	.build/release/ocr-train -c configs/cls/cls_mv3.yml
	.build/release/ocr-eval -c configs/cls/cls_mv3.yml -o Global.seed=2027 --checkpoint runs/cls_mv3/best.h5

# From scratch vs fine-tuned from the general base model on seven unseen faces (script and
# handwriting included), FT_MINUTES (30) of training each; per-font line accuracy. Trains the base
# model first (make base-model) if it is missing.
bench-finetune: deps
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-train
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-eval
	@[ -f runs/crnn_general/latest.h5 ] || [ -n "$(FT_BASE)" ] || $(MAKE) base-model
	bash scripts/bench-finetune.sh

# The realistic fine-tuning benchmark (docs/BENCHMARKS.md): full lines of 5-50 characters in the
# same seven faces, evaluated on lines another renderer (PIL) drew; columns zero-shot PP-OCRv4,
# CRNN from scratch, CRNN from the general base (when runs/crnn_general/latest.h5 or FT_BASE
# exists; not trained here), PP-OCRv4 fine-tuned - FT_MINUTES (30) each. Tables per face and per
# character class.
bench-finetune-lines: deps
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-train
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-eval
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr
	bash scripts/bench-finetune-lines.sh

# The general base model bench-finetune starts from: the benchmark's CRNN trained from scratch on
# a broad pool of print, script and handwriting faces (none of the benchmark's); 14000 steps,
# 39 minutes on 2 quiet cores. Writes runs/crnn_general/. An interrupted run leaves a partial
# latest.h5: finish it with `ocr-train -c configs/rec/crnn_mv3_general.yml -o
# Global.checkpoints=runs/crnn_general/latest.h5` before benchmarking.
base-model: deps
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-train
	bash scripts/make-corpus.sh runs/corpus
	.build/release/ocr-train -c configs/rec/crnn_mv3_general.yml

# Fine-tune PaddleOCR's PP-OCRv6 small recogniser (imported from the ONNX file setup.sh fetched from
# the rapidocr 3.10.0 wheel) on words in seven faces - print, script, handwriting - for 10 minutes,
# after scoring the file as shipped on the same evaluation words; evaluate on words training never
# saw, rendered with another seed. Reports: runs/ppocrv6_demo/zero-shot/ and runs/ppocrv6_demo/eval/.
demo: deps
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-train
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-eval
	bash scripts/make-corpus.sh runs/corpus
	.build/release/ocr-eval -c configs/rec/ppocrv6_demo.yml -o Global.seed=2027 --checkpoint .deps/models/PP-OCRv6_rec_small.onnx --out runs/ppocrv6_demo/zero-shot
	.build/release/ocr-train -c configs/rec/ppocrv6_demo.yml
	.build/release/ocr-eval -c configs/rec/ppocrv6_demo.yml -o Global.seed=2027 --checkpoint runs/ppocrv6_demo/best.h5

# The CRNN from scratch (the demo until session 9): render lines from the fonts setup.sh
# installed, train a CRNN on them for 10 minutes, evaluate on lines rendered from words it never
# saw, print the report (runs/crnn_demo/eval/report.html).
demo-scratch: deps
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-train
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-eval
	bash scripts/make-corpus.sh runs/corpus
	.build/release/ocr-train -c configs/rec/crnn_mv3_demo.yml
	.build/release/ocr-eval -c configs/rec/crnn_mv3_demo.yml -o Global.seed=2027 --checkpoint runs/crnn_demo/best.h5

# DB text detection from scratch on pages rendered from 49 font files, 20 minutes
# (configs/det/det_mv3_db_synth.yml), then precision/recall/hmean on pages in seven faces and words
# training never saw, rendered with another seed. Report with the worst pages drawn:
# runs/det_demo/eval/report.html.
demo-det: deps
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-train
	$(SWIFT) build -j $(JOBS) $(RELEASE) --product ocr-eval
	bash scripts/make-corpus.sh runs/corpus
	.build/release/ocr-train -c configs/det/det_mv3_db_synth.yml
	.build/release/ocr-eval -c configs/det/det_mv3_db_synth.yml -o Global.seed=2027 Eval.dataset.count=200 --checkpoint runs/det_demo/best.h5

clean:
	rm -rf .build .build-asan
