// COnnxRuntime: plain C functions over ONNX Runtime's function-pointer table. See connxruntime.h
// for the conventions (status + message, caller-owned results, NULL-safe frees).
#define _GNU_SOURCE // vasprintf, asprintf
#include "connxruntime.h"

#include <onnxruntime_c_api.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// ---- the process-wide environment ------------------------------------------------------------

static const OrtApi *api;
static OrtEnv *env;
static OrtMemoryInfo *cpu_memory;
static char *init_error; // set once when the environment could not be created
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static char *format(const char *fmt, va_list ap) {
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) return NULL;
    return s;
}

static int fail(ox_error *err, ox_status status, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->message = format(fmt, ap);
        va_end(ap);
    }
    return status;
}

static void create_environment(void) {
    const OrtApiBase *base = OrtGetApiBase();
    api = base->GetApi(ORT_API_VERSION);
    if (!api) {
        if (asprintf(&init_error, "ONNX Runtime %s does not provide C API version %d (the header OCRKit was built with); "
                                  "use a library at least as new as the header",
                     base->GetVersionString(), ORT_API_VERSION) < 0)
            init_error = NULL;
        if (!init_error) init_error = strdup("ONNX Runtime: C API version not supported");
        return;
    }
    OrtStatus *s = api->CreateEnv(ORT_LOGGING_LEVEL_ERROR, "ocrkit", &env);
    if (!s) s = api->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &cpu_memory);
    if (s) {
        if (asprintf(&init_error, "ONNX Runtime environment: %s", api->GetErrorMessage(s)) < 0) init_error = NULL;
        if (!init_error) init_error = strdup("ONNX Runtime environment could not be created");
        api->ReleaseStatus(s);
    }
}

static int ready(ox_error *err) {
    pthread_once(&init_once, create_environment);
    return init_error ? fail(err, OX_E_RUNTIME, "%s", init_error) : OX_OK;
}

// ---- OrtStatus -> ox_status ------------------------------------------------------------------

typedef enum { WHILE_LOADING, WHILE_RUNNING, OTHER } phase;

static ox_status map_code(OrtErrorCode code, phase when) {
    switch (code) {
    case ORT_NO_SUCHFILE: return OX_E_NO_SUCH_FILE;
    case ORT_INVALID_PROTOBUF: return OX_E_INVALID_MODEL;
    case ORT_INVALID_GRAPH:
    case ORT_NOT_IMPLEMENTED: return when == WHILE_RUNNING ? OX_E_RUNTIME : OX_E_INVALID_GRAPH;
    case ORT_INVALID_ARGUMENT: return when == WHILE_RUNNING ? OX_E_INVALID_INPUT : (when == WHILE_LOADING ? OX_E_INVALID_GRAPH : OX_E_ARGUMENT);
    default: return when == WHILE_LOADING ? OX_E_INVALID_GRAPH : OX_E_RUNTIME;
    }
}

// Takes (and releases) `s`. `op` prefixes the message unless NULL (ONNX Runtime's load messages
// already say "Load model from PATH failed: ...").
static int check(OrtStatus *s, ox_error *err, phase when, const char *op) {
    if (!s) return OX_OK;
    ox_status status = map_code(api->GetErrorCode(s), when);
    const char *message = api->GetErrorMessage(s);
    if (op) fail(err, status, "%s: %s", op, message);
    else fail(err, status, "%s", message);
    api->ReleaseStatus(s);
    return status;
}

void ox_error_free(ox_error *err) {
    if (!err) return;
    free(err->message);
    err->message = NULL;
}

const char *ox_runtime_version(void) { return OrtGetApiBase()->GetVersionString(); }

// ---- sessions --------------------------------------------------------------------------------

int ox_session_open(ox_session *out, const char *path, ox_session_options o, ox_error *err) {
    if (out) out->ptr = NULL;
    if (!out || !path) return fail(err, OX_E_ARGUMENT, "session_open: NULL argument");
    int rc = ready(err);
    if (rc) return rc;
    if (o.intra_op_threads < 0 || o.inter_op_threads < 0)
        return fail(err, OX_E_ARGUMENT, "session_open(%s): thread counts must be >= 0, got intra-op %d, inter-op %d",
                    path, o.intra_op_threads, o.inter_op_threads);
    if (o.optimization != OX_OPTIMIZE_NONE && o.optimization != OX_OPTIMIZE_BASIC &&
        o.optimization != OX_OPTIMIZE_EXTENDED && o.optimization != OX_OPTIMIZE_ALL)
        return fail(err, OX_E_ARGUMENT, "session_open(%s): unknown optimisation level %d", path, (int)o.optimization);

    OrtSessionOptions *so = NULL;
    OrtSession *session = NULL;
    const char *spin = o.allow_spinning ? "1" : "0";
    rc = check(api->CreateSessionOptions(&so), err, OTHER, "CreateSessionOptions");
    if (!rc && o.intra_op_threads > 0)
        rc = check(api->SetIntraOpNumThreads(so, o.intra_op_threads), err, OTHER, "SetIntraOpNumThreads");
    if (!rc && o.inter_op_threads > 0)
        rc = check(api->SetInterOpNumThreads(so, o.inter_op_threads), err, OTHER, "SetInterOpNumThreads");
    if (!rc)
        rc = check(api->SetSessionGraphOptimizationLevel(so, (GraphOptimizationLevel)o.optimization), err, OTHER,
                   "SetSessionGraphOptimizationLevel");
    if (!rc) rc = check(api->AddSessionConfigEntry(so, "session.intra_op.allow_spinning", spin), err, OTHER, "AddSessionConfigEntry");
    if (!rc) rc = check(api->AddSessionConfigEntry(so, "session.inter_op.allow_spinning", spin), err, OTHER, "AddSessionConfigEntry");
    if (!rc) rc = check(api->CreateSession(env, path, so, &session), err, WHILE_LOADING, NULL);
    if (so) api->ReleaseSessionOptions(so);
    if (!rc) out->ptr = session;
    return rc;
}

void ox_session_free(ox_session *session) {
    if (!session || !session->ptr) return;
    api->ReleaseSession((OrtSession *)session->ptr);
    session->ptr = NULL;
}

// Frees memory ONNX Runtime allocated with `allocator` (the default one cannot fail to).
static void allocator_free(OrtAllocator *allocator, void *p) {
    OrtStatus *s = api->AllocatorFree(allocator, p);
    if (s) api->ReleaseStatus(s);
}

// Copies an allocator-owned string and frees the original.
static char *take_string(OrtAllocator *allocator, char *s) {
    char *copy = strdup(s ? s : "");
    if (s) allocator_free(allocator, s);
    return copy;
}

int ox_session_io_count(ox_session session, int32_t is_output, size_t *count, ox_error *err) {
    if (count) *count = 0;
    if (!session.ptr || !count) return fail(err, OX_E_ARGUMENT, "session_io_count: NULL argument");
    OrtSession *s = (OrtSession *)session.ptr;
    return is_output ? check(api->SessionGetOutputCount(s, count), err, OTHER, "SessionGetOutputCount")
                     : check(api->SessionGetInputCount(s, count), err, OTHER, "SessionGetInputCount");
}

void ox_io_info_free(ox_io_info *info) {
    if (!info) return;
    if (info->symbolic)
        for (size_t i = 0; i < info->rank; i++) free(info->symbolic[i]);
    free(info->symbolic);
    free(info->dims);
    free(info->name);
    memset(info, 0, sizeof *info);
}

// Fills rank, element type, dims and symbolic names from a tensor type.
static int read_tensor_type(const OrtTensorTypeAndShapeInfo *t, ox_io_info *out, ox_error *err) {
    enum ONNXTensorElementDataType type;
    int rc = check(api->GetTensorElementType(t, &type), err, OTHER, "GetTensorElementType");
    if (!rc) rc = check(api->GetDimensionsCount(t, &out->rank), err, OTHER, "GetDimensionsCount");
    if (rc) return rc;
    out->element_type = (ox_element_type)type;
    size_t n = out->rank ? out->rank : 1;
    out->dims = calloc(n, sizeof *out->dims);
    out->symbolic = calloc(n, sizeof *out->symbolic);
    const char **names = calloc(n, sizeof *names);
    if (!out->dims || !out->symbolic || !names) {
        free(names);
        return fail(err, OX_E_MEMORY, "session_io_info: out of memory");
    }
    rc = check(api->GetDimensions(t, out->dims, out->rank), err, OTHER, "GetDimensions");
    if (!rc) rc = check(api->GetSymbolicDimensions(t, names, out->rank), err, OTHER, "GetSymbolicDimensions");
    for (size_t i = 0; !rc && i < out->rank; i++) {
        out->symbolic[i] = strdup(names[i] ? names[i] : "");
        if (!out->symbolic[i]) rc = fail(err, OX_E_MEMORY, "session_io_info: out of memory");
    }
    free(names);
    return rc;
}

int ox_session_io_info(ox_session session, int32_t is_output, size_t index, ox_io_info *out, ox_error *err) {
    if (out) memset(out, 0, sizeof *out);
    if (!session.ptr || !out) return fail(err, OX_E_ARGUMENT, "session_io_info: NULL argument");
    OrtSession *s = (OrtSession *)session.ptr;
    size_t count = 0;
    int rc = ox_session_io_count(session, is_output, &count, err);
    if (rc) return rc;
    if (index >= count)
        return fail(err, OX_E_ARGUMENT, "session_io_info: %s %zu of %zu", is_output ? "output" : "input", index, count);

    OrtAllocator *allocator = NULL;
    char *name = NULL;
    OrtTypeInfo *type_info = NULL;
    rc = check(api->GetAllocatorWithDefaultOptions(&allocator), err, OTHER, "GetAllocatorWithDefaultOptions");
    if (!rc) rc = is_output ? check(api->SessionGetOutputName(s, index, allocator, &name), err, OTHER, "SessionGetOutputName")
                            : check(api->SessionGetInputName(s, index, allocator, &name), err, OTHER, "SessionGetInputName");
    if (!rc) {
        out->name = take_string(allocator, name);
        rc = is_output ? check(api->SessionGetOutputTypeInfo(s, index, &type_info), err, OTHER, "SessionGetOutputTypeInfo")
                       : check(api->SessionGetInputTypeInfo(s, index, &type_info), err, OTHER, "SessionGetInputTypeInfo");
    }
    if (!rc) {
        enum ONNXType kind;
        rc = check(api->GetOnnxTypeFromTypeInfo(type_info, &kind), err, OTHER, "GetOnnxTypeFromTypeInfo");
        if (!rc && kind == ONNX_TYPE_TENSOR) {
            const OrtTensorTypeAndShapeInfo *tensor = NULL; // owned by type_info
            rc = check(api->CastTypeInfoToTensorInfo(type_info, &tensor), err, OTHER, "CastTypeInfoToTensorInfo");
            out->is_tensor = 1;
            if (!rc) rc = read_tensor_type(tensor, out, err);
        }
    }
    if (type_info) api->ReleaseTypeInfo(type_info);
    if (rc) ox_io_info_free(out);
    return rc;
}

// ---- metadata --------------------------------------------------------------------------------

void ox_metadata_free(ox_metadata *m) {
    if (!m) return;
    for (size_t i = 0; i < m->count; i++) {
        if (m->keys) free(m->keys[i]);
        if (m->values) free(m->values[i]);
    }
    free(m->keys);
    free(m->values);
    free(m->producer_name);
    free(m->graph_name);
    free(m->domain);
    free(m->description);
    memset(m, 0, sizeof *m);
}

static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int ox_session_metadata(ox_session session, ox_metadata *out, ox_error *err) {
    if (out) memset(out, 0, sizeof *out);
    if (!session.ptr || !out) return fail(err, OX_E_ARGUMENT, "session_metadata: NULL argument");
    OrtAllocator *allocator = NULL;
    OrtModelMetadata *md = NULL;
    int rc = check(api->GetAllocatorWithDefaultOptions(&allocator), err, OTHER, "GetAllocatorWithDefaultOptions");
    if (!rc) rc = check(api->SessionGetModelMetadata((OrtSession *)session.ptr, &md), err, OTHER, "SessionGetModelMetadata");
    if (rc) return rc;

    char *s = NULL;
    if (!(rc = check(api->ModelMetadataGetProducerName(md, allocator, &s), err, OTHER, "ModelMetadataGetProducerName")))
        out->producer_name = take_string(allocator, s);
    if (!rc && !(rc = check(api->ModelMetadataGetGraphName(md, allocator, &s), err, OTHER, "ModelMetadataGetGraphName")))
        out->graph_name = take_string(allocator, s);
    if (!rc && !(rc = check(api->ModelMetadataGetDomain(md, allocator, &s), err, OTHER, "ModelMetadataGetDomain")))
        out->domain = take_string(allocator, s);
    if (!rc && !(rc = check(api->ModelMetadataGetDescription(md, allocator, &s), err, OTHER, "ModelMetadataGetDescription")))
        out->description = take_string(allocator, s);
    if (!rc) rc = check(api->ModelMetadataGetVersion(md, &out->version), err, OTHER, "ModelMetadataGetVersion");

    char **keys = NULL;
    int64_t n = 0;
    if (!rc) rc = check(api->ModelMetadataGetCustomMetadataMapKeys(md, allocator, &keys, &n), err, OTHER,
                        "ModelMetadataGetCustomMetadataMapKeys");
    if (!rc && n > 0) {
        out->keys = calloc((size_t)n, sizeof *out->keys);
        out->values = calloc((size_t)n, sizeof *out->values);
        if (!out->keys || !out->values) rc = fail(err, OX_E_MEMORY, "session_metadata: out of memory");
        for (int64_t i = 0; i < n; i++) {
            if (!rc) {
                out->keys[i] = strdup(keys[i]);
                out->count = (size_t)i + 1;
            }
            allocator_free(allocator, keys[i]);
        }
        allocator_free(allocator, keys);
        if (!rc) qsort(out->keys, out->count, sizeof *out->keys, compare_strings);
        for (size_t i = 0; !rc && i < out->count; i++) {
            char *value = NULL;
            rc = check(api->ModelMetadataLookupCustomMetadataMap(md, allocator, out->keys[i], &value), err, OTHER,
                       "ModelMetadataLookupCustomMetadataMap");
            if (!rc) out->values[i] = take_string(allocator, value);
        }
    } else if (keys) {
        allocator_free(allocator, keys);
    }
    api->ReleaseModelMetadata(md);
    if (rc) ox_metadata_free(out);
    return rc;
}

// ---- running ---------------------------------------------------------------------------------

int ox_session_run(ox_session session, const ox_float_input *inputs, size_t input_count,
                   const char *const *output_names, size_t output_count, ox_value *outputs, ox_error *err) {
    for (size_t i = 0; outputs && i < output_count; i++) outputs[i].ptr = NULL;
    if (!session.ptr || (input_count && !inputs) || (output_count && (!output_names || !outputs)))
        return fail(err, OX_E_ARGUMENT, "session_run: NULL argument");
    if (output_count == 0) return fail(err, OX_E_ARGUMENT, "session_run: no outputs requested");

    OrtValue **in = calloc(input_count ? input_count : 1, sizeof *in);
    const char **in_names = calloc(input_count ? input_count : 1, sizeof *in_names);
    OrtValue **out = calloc(output_count, sizeof *out);
    int rc = (in && in_names && out) ? OX_OK : fail(err, OX_E_MEMORY, "session_run: out of memory");
    static float empty; // ONNX Runtime wants a pointer even for a tensor with no elements
    for (size_t i = 0; !rc && i < input_count; i++) {
        const ox_float_input *x = &inputs[i];
        if (!x->name || (x->rank && !x->dims)) {
            rc = fail(err, OX_E_ARGUMENT, "session_run: input %zu has a NULL name or shape", i);
            break;
        }
        size_t count = 1;
        for (size_t d = 0; d < x->rank; d++) {
            if (x->dims[d] < 0) {
                rc = fail(err, OX_E_ARGUMENT, "session_run: input '%s' has negative dimension %lld", x->name,
                          (long long)x->dims[d]);
                break;
            }
            count *= (size_t)x->dims[d];
        }
        if (rc) break;
        if (count && !x->data) {
            rc = fail(err, OX_E_ARGUMENT, "session_run: input '%s' has no data", x->name);
            break;
        }
        in_names[i] = x->name;
        char op[256];
        snprintf(op, sizeof op, "session_run: input '%s'", x->name);
        rc = check(api->CreateTensorWithDataAsOrtValue(cpu_memory, count ? (void *)x->data : (void *)&empty,
                                                       count * sizeof(float), x->dims, x->rank,
                                                       ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &in[i]),
                   err, WHILE_RUNNING, op);
    }
    if (!rc)
        rc = check(api->Run((OrtSession *)session.ptr, NULL, in_names, (const OrtValue *const *)in, input_count,
                            output_names, output_count, out),
                   err, WHILE_RUNNING, "Run");
    for (size_t i = 0; in && i < input_count; i++)
        if (in[i]) api->ReleaseValue(in[i]);
    for (size_t i = 0; out && i < output_count; i++) {
        if (rc) {
            if (out[i]) api->ReleaseValue(out[i]);
        } else {
            outputs[i].ptr = out[i];
        }
    }
    free(in);
    free(in_names);
    free(out);
    return rc;
}

int ox_value_view(ox_value value, ox_tensor_view *out, ox_error *err) {
    if (out) memset(out, 0, sizeof *out);
    if (!value.ptr || !out) return fail(err, OX_E_ARGUMENT, "value_view: NULL argument");
    OrtValue *v = (OrtValue *)value.ptr;
    enum ONNXType kind;
    int rc = check(api->GetValueType(v, &kind), err, OTHER, "GetValueType");
    if (rc) return rc;
    if (kind != ONNX_TYPE_TENSOR) return fail(err, OX_E_ARGUMENT, "value_view: the value is not a tensor (ONNX type %d)", (int)kind);
    OrtTensorTypeAndShapeInfo *info = NULL;
    enum ONNXTensorElementDataType type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED;
    rc = check(api->GetTensorTypeAndShape(v, &info), err, OTHER, "GetTensorTypeAndShape");
    if (!rc) rc = check(api->GetTensorElementType(info, &type), err, OTHER, "GetTensorElementType");
    if (!rc) rc = check(api->GetDimensionsCount(info, &out->rank), err, OTHER, "GetDimensionsCount");
    if (!rc && out->rank > OX_MAX_RANK) rc = fail(err, OX_E_ARGUMENT, "value_view: rank %zu exceeds %d", out->rank, OX_MAX_RANK);
    if (!rc) rc = check(api->GetDimensions(info, out->dims, out->rank), err, OTHER, "GetDimensions");
    if (!rc) rc = check(api->GetTensorShapeElementCount(info, &out->count), err, OTHER, "GetTensorShapeElementCount");
    if (info) api->ReleaseTensorTypeAndShapeInfo(info);
    if (!rc && type == ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING)
        rc = fail(err, OX_E_ARGUMENT, "value_view: string tensors have no flat data");
    void *data = NULL;
    if (!rc && out->count) rc = check(api->GetTensorMutableData(v, &data), err, OTHER, "GetTensorMutableData");
    if (rc) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    out->element_type = (ox_element_type)type;
    out->data = data;
    return OX_OK;
}

void ox_value_free(ox_value *value) {
    if (!value || !value->ptr) return;
    api->ReleaseValue((OrtValue *)value->ptr);
    value->ptr = NULL;
}
