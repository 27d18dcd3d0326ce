// Times ONNX files through OCRKit's own ONNX Runtime shim (Sources/COnnxRuntime/connxruntime.c):
//   onnx_time N C H W ROUNDS MODEL.onnx...   (THREADS=n in the environment: intra-op threads, default 2)
// Random input in [-1, 1]; per model and round: 2 untimed runs, then 16 (batch 1) or 4 timed runs;
// prints each model's median ms per run. scripts/bench-onnx-files.sh runs it once per model and
// process, alternating, because ONNX Runtime's multi-thread speed can differ per process.
#include "connxruntime.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static int by_value(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(int argc, char **argv) {
    if (argc < 7) { fprintf(stderr, "usage: %s N C H W ROUNDS MODEL.onnx...\n", argv[0]); return 2; }
    int64_t dims[4] = {atoll(argv[1]), atoll(argv[2]), atoll(argv[3]), atoll(argv[4])};
    int rounds = atoi(argv[5]), models = argc - 6, block = dims[0] == 1 ? 16 : 4;
    size_t n = (size_t)(dims[0] * dims[1] * dims[2] * dims[3]);
    float *x = malloc(n * sizeof(float));
    srand(1);
    for (size_t i = 0; i < n; i++) x[i] = rand() / (float)RAND_MAX * 2 - 1;
    ox_session_options o = {getenv("THREADS") ? atoi(getenv("THREADS")) : 2, 1, OX_OPTIMIZE_ALL, 1};
    ox_error e = {0};
    ox_session *s = calloc(models, sizeof(ox_session));
    char **in = calloc(models, sizeof(char *)), **out = calloc(models, sizeof(char *));
    for (int m = 0; m < models; m++) {
        ox_io_info info;
        if (ox_session_open(&s[m], argv[6 + m], o, &e) || ox_session_io_info(s[m], 0, 0, &info, &e)) { fprintf(stderr, "%s: %s\n", argv[6 + m], e.message); return 1; }
        in[m] = strdup(info.name);
        ox_io_info_free(&info);
        if (ox_session_io_info(s[m], 1, 0, &info, &e)) { fprintf(stderr, "%s: %s\n", argv[6 + m], e.message); return 1; }
        out[m] = strdup(info.name);
        ox_io_info_free(&info);
    }
    double *t = malloc(sizeof(double) * rounds * block * models);
    for (int r = 0; r < rounds; r++) {
        for (int m = 0; m < models; m++) {
            ox_float_input input = {in[m], x, dims, 4};
            for (int k = 0; k < 2 + block; k++) {
                ox_value v;
                double t0 = now_ms();
                if (ox_session_run(s[m], &input, 1, (const char *const *)&out[m], 1, &v, &e)) { fprintf(stderr, "%s: %s\n", argv[6 + m], e.message); return 1; }
                if (k >= 2) t[(m * rounds + r) * block + k - 2] = now_ms() - t0;
                ox_value_free(&v);
            }
        }
    }
    for (int m = 0; m < models; m++) {
        double *mt = t + m * rounds * block;
        qsort(mt, rounds * block, sizeof(double), by_value);
        printf("%.3f ms  %s\n", mt[rounds * block / 2], argv[6 + m]);
        ox_session_free(&s[m]);
    }
    return 0;
}
