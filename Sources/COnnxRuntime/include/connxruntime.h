/* connxruntime.h - OCRKit's C boundary over ONNX Runtime's C API. Pure C: the only header of
 * this target Swift sees (ONNX Runtime's own header is included by the .c file alone).
 *
 * Why a layer at all: ONNX Runtime's C API is a table of function pointers reached through
 * OrtGetApiBase()->GetApi(ORT_API_VERSION), with OrtStatus objects and allocator-owned strings.
 * Here every entry point is a plain function that returns a status and a message.
 *
 * Conventions (every entry point):
 *  - returns OX_OK (0) on success, another ox_status on failure; on failure `*err` (if err is not
 *    NULL) receives a malloc'd message - ONNX Runtime's, prefixed with the operation - to be freed
 *    with ox_error_free. Out-parameters are left empty on failure. Nothing here prints or aborts.
 *  - Ownership: handles and structs returned through out-parameters are owned by the caller (+1)
 *    and released with the matching *_free, which is NULL-safe and leaves the struct empty (so a
 *    second call is harmless). Inputs are borrowed for the duration of the call.
 *  - Threads: ox_session_run may be called from several threads on one session at once (ONNX
 *    Runtime's Run is thread-safe); opening and freeing are not concurrent with use.
 *  - One ONNX Runtime environment (OrtEnv, logging at ERROR level) is created on first use and
 *    lives as long as the process.
 */
#ifndef CONNXRUNTIME_H
#define CONNXRUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status, errors ------------------------------------------------------------------------ */

typedef enum {
    OX_OK = 0,
    OX_E_ARGUMENT = 1,      /* bad counts, NULL pointers, ranks or shapes from the caller */
    OX_E_NO_SUCH_FILE = 2,  /* the model file does not exist */
    OX_E_INVALID_MODEL = 3, /* the file is not an ONNX model ONNX Runtime can parse (ORT_INVALID_PROTOBUF) */
    OX_E_INVALID_GRAPH = 4, /* parsed, but the graph is not valid or not supported (ORT_INVALID_GRAPH,
                               ORT_NOT_IMPLEMENTED, ORT_FAIL while loading) */
    OX_E_INVALID_INPUT = 5, /* ONNX Runtime refused the inputs of a run (ORT_INVALID_ARGUMENT) */
    OX_E_RUNTIME = 6,       /* any other ONNX Runtime failure */
    OX_E_MEMORY = 7         /* allocation failed */
} ox_status;

typedef struct { char *message; } ox_error;
void ox_error_free(ox_error *err);

/* ---- handles ------------------------------------------------------------------------------- */

typedef struct { void *ptr; } ox_session; /* an OrtSession */
typedef struct { void *ptr; } ox_value;   /* an OrtValue holding a tensor */

/* ONNX tensor element types, with ONNX's own numbers (TensorProto.DataType). */
typedef enum {
    OX_ELEMENT_UNDEFINED = 0,
    OX_ELEMENT_FLOAT = 1,
    OX_ELEMENT_UINT8 = 2,
    OX_ELEMENT_INT8 = 3,
    OX_ELEMENT_UINT16 = 4,
    OX_ELEMENT_INT16 = 5,
    OX_ELEMENT_INT32 = 6,
    OX_ELEMENT_INT64 = 7,
    OX_ELEMENT_STRING = 8,
    OX_ELEMENT_BOOL = 9,
    OX_ELEMENT_FLOAT16 = 10,
    OX_ELEMENT_DOUBLE = 11,
    OX_ELEMENT_UINT32 = 12,
    OX_ELEMENT_UINT64 = 13,
    OX_ELEMENT_BFLOAT16 = 16
} ox_element_type;

/* ONNX Runtime's graph optimisation levels (GraphOptimizationLevel). */
typedef enum {
    OX_OPTIMIZE_NONE = 0,
    OX_OPTIMIZE_BASIC = 1,
    OX_OPTIMIZE_EXTENDED = 2,
    OX_OPTIMIZE_ALL = 99
} ox_optimization;

/* ---- sessions ------------------------------------------------------------------------------ */

typedef struct {
    int32_t intra_op_threads;    /* 0: ONNX Runtime's default (one per physical core) */
    int32_t inter_op_threads;    /* 0: ONNX Runtime's default */
    ox_optimization optimization;
    int32_t allow_spinning;      /* 0: idle pool threads sleep at once instead of spinning */
} ox_session_options;

/* Opens the model file at `path` (CPU execution provider). */
int ox_session_open(ox_session *out, const char *path, ox_session_options options, ox_error *err);
void ox_session_free(ox_session *session);

/* One graph input or output. `dims[i]` is -1 where the dimension is dynamic; `symbolic[i]` is its
 * name ("" when unnamed or fixed). Non-tensor values (sequences, maps) have is_tensor = 0, rank 0. */
typedef struct {
    char *name;
    int32_t is_tensor;
    ox_element_type element_type;
    size_t rank;
    int64_t *dims;
    char **symbolic;
} ox_io_info;
void ox_io_info_free(ox_io_info *info);

/* The number of graph inputs (is_output = 0) or outputs (is_output = 1). */
int ox_session_io_count(ox_session session, int32_t is_output, size_t *count, ox_error *err);
int ox_session_io_info(ox_session session, int32_t is_output, size_t index, ox_io_info *out, ox_error *err);

/* The model's ModelProto fields and its metadata_props (custom metadata), keys sorted by byte order. */
typedef struct {
    char *producer_name;
    char *graph_name;
    char *domain;
    char *description;
    int64_t version;
    size_t count;
    char **keys;
    char **values;
} ox_metadata;
void ox_metadata_free(ox_metadata *metadata);
int ox_session_metadata(ox_session session, ox_metadata *out, ox_error *err);

/* ---- running ------------------------------------------------------------------------------- */

/* A borrowed float32 input tensor: `data` holds the product of `dims` values, row-major. */
typedef struct {
    const char *name;
    const float *data;
    const int64_t *dims;
    size_t rank;
} ox_float_input;

/* Runs the session on `inputs` and fills `outputs[i]` with the tensor named `output_names[i]`
 * (each owned by the caller, freed with ox_value_free). The input buffers are not copied. */
int ox_session_run(ox_session session, const ox_float_input *inputs, size_t input_count,
                   const char *const *output_names, size_t output_count, ox_value *outputs, ox_error *err);

/* A view of an output tensor, valid until the value is freed. `data` holds `count` elements of
 * `element_type`; `dims` has `rank` entries (rank <= OX_MAX_RANK). */
#define OX_MAX_RANK 16
typedef struct {
    ox_element_type element_type;
    size_t rank;
    int64_t dims[OX_MAX_RANK];
    size_t count;
    const void *data;
} ox_tensor_view;
int ox_value_view(ox_value value, ox_tensor_view *out, ox_error *err);
void ox_value_free(ox_value *value);

/* ONNX Runtime's version string ("1.21.1"); static storage, never freed. */
const char *ox_runtime_version(void);

#ifdef __cplusplus
}
#endif

#endif
