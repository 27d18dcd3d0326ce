// chdf5.c - implementation of chdf5.h over libhdf5's C API. See the header for the conventions.
//
// Error handling pattern: every failing branch calls fail() FIRST, because any other HDF5 API
// call (H5Iget_name, H5Dclose, ...) clears the thread's error stack that fail() reports.
#define _POSIX_C_SOURCE 200809L  // strdup, strnlen under strict -std=c11
#include "chdf5.h"

#include <hdf5.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

_Static_assert(sizeof(hid_t) == sizeof(int64_t), "hid_t must be 64-bit (HDF5 >= 1.10)");

// ---- Errors --------------------------------------------------------------------------------

// HDF5's automatic error printing is a per-thread setting in thread-safe builds, so each thread
// turns it off once, on its first call into the shim.
static void quiet(void) {
    static _Thread_local int done = 0;
    if (!done) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        done = 1;
    }
}

// HDF5's stack repeats the failure at every layer ("unable to create dataset: unable to create
// and link to dataset: ... : chunk size must be <= maximum dimension size"). The outermost line
// says what failed and the innermost why; the layers between are noise, so only those two are kept.
typedef struct { char first[512], last[768]; int count; } stack_text;

static void copy_line(char *dst, size_t cap, const char *src) {
    snprintf(dst, cap, "%s", src);
    for (char *p = dst; *p; p++)
        if (*p == '\n') *p = ' ';  // some lines embed ctime() output, with its newline
}

static herr_t stack_walk(unsigned n, const H5E_error2_t *e, void *data) {
    (void)n;
    stack_text *t = data;
    if (!e->desc || !*e->desc) return 0;
    if (t->count++ == 0) copy_line(t->first, sizeof t->first, e->desc);
    else copy_line(t->last, sizeof t->last, e->desc);
    return 0;
}

static char *dup_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

// Records "<op> '<object path>' in '<file>': <detail> (<HDF5 what: why>)" and returns -1.
// `loc` is the object the operation ran on (or -1), `name` a path relative to it (or NULL).
static int fail(h5_error *err, const char *op, hid_t loc, const char *name, const char *fmt, ...) {
    stack_text t = { "", "", 0 };
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, stack_walk, &t);  // outermost first, cause last
    H5Eclear2(H5E_DEFAULT);
    if (!err) return -1;
    char stack[1400] = "";
    if (t.count == 1 || (t.count > 1 && strcmp(t.first, t.last) == 0)) snprintf(stack, sizeof stack, "%s", t.first);
    else if (t.count > 1) snprintf(stack, sizeof stack, "%s: %s", t.first, t.last);

    char detail[1024] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    char obj[1024] = "", file[1024] = "";
    int is_file = 0;
    if (loc > 0) {
        is_file = H5Iget_type(loc) == H5I_FILE;
        if (!is_file && H5Iget_name(loc, obj, sizeof obj) < 0) obj[0] = '\0';
        if (H5Fget_name(loc, file, sizeof file) < 0) file[0] = '\0';
        H5Eclear2(H5E_DEFAULT);
    }
    char *path;
    if (is_file && !name) path = dup_printf("%s", file);  // a file-level op names the file itself
    else if (!name) path = dup_printf("%s", obj);
    else if (name[0] == '/' || !obj[0] || is_file) path = dup_printf("%s%s", name[0] == '/' || loc <= 0 ? "" : "/", name);
    else path = dup_printf("%s%s%s", obj, strcmp(obj, "/") == 0 ? "" : "/", name);

    const char *in = (file[0] && !(is_file && !name)) ? file : NULL;
    const char *what = detail[0] ? detail : (stack[0] ? stack : "unknown HDF5 error");
    int both = detail[0] && stack[0];
    free(err->message);
    err->message = dup_printf("%s '%s'%s%s%s: %s%s%s%s", op, path ? path : "?", in ? " in '" : "",
                              in ? in : "", in ? "'" : "", what, both ? " (" : "", both ? stack : "",
                              both ? ")" : "");
    free(path);
    return -1;
}

void h5_error_free(h5_error *err) {
    if (!err) return;
    free(err->message);
    err->message = NULL;
}

void h5_strings_free(h5_strings *list) {
    if (!list) return;
    for (int64_t i = 0; i < list->count; i++) free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

// ---- String lists --------------------------------------------------------------------------

typedef struct { char **items; int64_t count, cap; } list_builder;

static int list_push(list_builder *b, const char *s, size_t n) {
    if (b->count == b->cap) {
        int64_t cap = b->cap ? b->cap * 2 : 16;
        char **items = realloc(b->items, (size_t)cap * sizeof(char *));
        if (!items) return -1;
        b->items = items;
        b->cap = cap;
    }
    char *copy = malloc(n + 1);
    if (!copy) return -1;
    memcpy(copy, s, n);
    copy[n] = '\0';
    b->items[b->count++] = copy;
    return 0;
}

static void list_finish(list_builder *b, h5_strings *out) {
    out->items = b->items;
    out->count = b->count;
}

static void list_discard(list_builder *b) {
    h5_strings s = { b->items, b->count };
    h5_strings_free(&s);
}

// ---- Types ---------------------------------------------------------------------------------

const char *h5_dtype_name(h5_dtype dtype) {
    switch (dtype) {
    case H5DTYPE_FLOAT32: return "float32";
    case H5DTYPE_FLOAT64: return "float64";
    case H5DTYPE_INT32: return "int32";
    case H5DTYPE_INT64: return "int64";
    case H5DTYPE_UINT8: return "uint8";
    case H5DTYPE_STRING: return "string";
    case H5DTYPE_UNSUPPORTED: break;
    }
    return "unsupported";
}

static int dtype_valid(h5_dtype d) { return d >= H5DTYPE_FLOAT32 && d <= H5DTYPE_STRING; }

// A new type id the caller closes. Files get explicit little-endian types so they read the same
// everywhere; memory gets native types. Strings are variable-length UTF-8 (what h5py reads as str).
static hid_t new_type(h5_dtype d, int for_file) {
    switch (d) {
    case H5DTYPE_FLOAT32: return H5Tcopy(for_file ? H5T_IEEE_F32LE : H5T_NATIVE_FLOAT);
    case H5DTYPE_FLOAT64: return H5Tcopy(for_file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
    case H5DTYPE_INT32: return H5Tcopy(for_file ? H5T_STD_I32LE : H5T_NATIVE_INT32);
    case H5DTYPE_INT64: return H5Tcopy(for_file ? H5T_STD_I64LE : H5T_NATIVE_INT64);
    case H5DTYPE_UINT8: return H5Tcopy(for_file ? H5T_STD_U8LE : H5T_NATIVE_UINT8);
    case H5DTYPE_STRING: {
        hid_t t = H5Tcopy(H5T_C_S1);
        if (t < 0) return -1;
        if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
            H5Tclose(t);
            return -1;
        }
        return t;
    }
    case H5DTYPE_UNSUPPORTED: break;
    }
    return -1;
}

static h5_dtype dtype_of(hid_t t) {
    size_t size = H5Tget_size(t);
    switch (H5Tget_class(t)) {
    case H5T_FLOAT:
        return size == 4 ? H5DTYPE_FLOAT32 : size == 8 ? H5DTYPE_FLOAT64 : H5DTYPE_UNSUPPORTED;
    case H5T_INTEGER: {
        int is_signed = H5Tget_sign(t) == H5T_SGN_2;
        if (is_signed && size == 4) return H5DTYPE_INT32;
        if (is_signed && size == 8) return H5DTYPE_INT64;
        if (!is_signed && size == 1) return H5DTYPE_UINT8;
        return H5DTYPE_UNSUPPORTED;
    }
    case H5T_STRING: return H5DTYPE_STRING;
    default: return H5DTYPE_UNSUPPORTED;
    }
}

// Human-readable stored type for messages, e.g. "uint16" or "compound".
static void type_text(hid_t t, char *buf, size_t cap) {
    h5_dtype d = dtype_of(t);
    if (d != H5DTYPE_UNSUPPORTED) { snprintf(buf, cap, "%s", h5_dtype_name(d)); return; }
    size_t bits = H5Tget_size(t) * 8;
    switch (H5Tget_class(t)) {
    case H5T_INTEGER: snprintf(buf, cap, "%sint%zu", H5Tget_sign(t) == H5T_SGN_2 ? "" : "u", bits); break;
    case H5T_FLOAT: snprintf(buf, cap, "float%zu", bits); break;
    case H5T_COMPOUND: snprintf(buf, cap, "compound"); break;
    case H5T_ENUM: snprintf(buf, cap, "enum"); break;
    case H5T_VLEN: snprintf(buf, cap, "variable-length sequence"); break;
    case H5T_ARRAY: snprintf(buf, cap, "array"); break;
    case H5T_OPAQUE: snprintf(buf, cap, "opaque"); break;
    case H5T_REFERENCE: snprintf(buf, cap, "reference"); break;
    default: snprintf(buf, cap, "unknown type"); break;
    }
}

static int is_integer(h5_dtype d) { return d == H5DTYPE_INT32 || d == H5DTYPE_INT64 || d == H5DTYPE_UINT8; }
static int is_float(h5_dtype d) { return d == H5DTYPE_FLOAT32 || d == H5DTYPE_FLOAT64; }

// ---- Paths ---------------------------------------------------------------------------------

// Copy of `path` with repeated and trailing slashes removed (HDF5 rejects "a//b" in places).
static char *normalized(const char *path) {
    size_t n = strlen(path);
    char *out = malloc(n + 1), *o = out;
    if (!out) return NULL;
    for (const char *p = path; *p; p++) {
        if (*p == '/' && o > out && o[-1] == '/') continue;
        *o++ = *p;
    }
    if (o - out > 1 && o[-1] == '/') o--;
    *o = '\0';
    return out;
}

static int is_self(const char *p) { return !*p || strcmp(p, ".") == 0 || strcmp(p, "/") == 0; }

// Kind of the object at `path`, which must exist; -1 on error.
static int kind_at(hid_t loc, const char *path, h5_kind *out) {
    hid_t o = H5Oopen(loc, path, H5P_DEFAULT);
    if (o < 0) return -1;
    H5I_type_t t = H5Iget_type(o);
    *out = t == H5I_GROUP ? H5KIND_GROUP : t == H5I_DATASET ? H5KIND_DATASET : H5KIND_OTHER;
    H5Oclose(o);
    return 0;
}

// H5Lexists errors (instead of answering no) when a parent component is missing or is not a
// group, so walk the path one component at a time. `path` must be normalized.
static int path_exists(hid_t loc, const char *path, int *out) {
    *out = 0;
    if (is_self(path)) { *out = 1; return 0; }
    char *buf = strdup(path);
    if (!buf) return -1;
    int rc = 0;
    char *p = buf + (buf[0] == '/');
    for (;;) {
        char *slash = strchr(p, '/');
        if (slash) *slash = '\0';
        htri_t e = H5Lexists(loc, buf, H5P_DEFAULT);
        if (e < 0) { rc = -1; break; }
        if (e == 0) break;
        if (!slash) {
            htri_t o = H5Oexists_by_name(loc, buf, H5P_DEFAULT);  // false for dangling soft links
            if (o < 0) rc = -1; else *out = o > 0;
            break;
        }
        h5_kind k;
        if (kind_at(loc, buf, &k) < 0) { rc = -1; break; }
        if (k != H5KIND_GROUP) break;  // "w/x" where w is a dataset: no such path
        *slash = '/';
        p = slash + 1;
    }
    free(buf);
    return rc;
}

static const char *kind_name(h5_kind k) {
    return k == H5KIND_GROUP ? "group" : k == H5KIND_DATASET ? "dataset" : "non-group object";
}

// Object creation property lists without timestamps, so writing the same content gives the same
// bytes (reproducible checkpoints; h5py does the same by default).
static hid_t new_gcpl(void) {
    hid_t p = H5Pcreate(H5P_GROUP_CREATE);
    if (p >= 0 && H5Pset_obj_track_times(p, 0) < 0) { H5Pclose(p); return -1; }
    return p;
}

// Creates the missing parent groups of `path` (normalized), like mkdir -p of its dirname.
static int ensure_parents(h5_error *err, const char *op, hid_t loc, const char *path) {
    char *buf = strdup(path);
    if (!buf) return fail(err, op, loc, path, "out of memory");
    hid_t gcpl = -1;
    int rc = 0;
    char *p = buf + (buf[0] == '/');
    for (char *slash = strchr(p, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        htri_t e = H5Lexists(loc, buf, H5P_DEFAULT);
        h5_kind k = H5KIND_GROUP;
        if (e < 0 || (e > 0 && kind_at(loc, buf, &k) < 0)) {
            rc = fail(err, op, loc, path, NULL);
            break;
        }
        if (e > 0 && k != H5KIND_GROUP) {
            rc = fail(err, op, loc, path, "parent '%s' is a %s, not a group", buf, kind_name(k));
            break;
        }
        if (e == 0) {
            if (gcpl < 0 && (gcpl = new_gcpl()) < 0) { rc = fail(err, op, loc, path, NULL); break; }
            hid_t g = H5Gcreate2(loc, buf, H5P_DEFAULT, gcpl, H5P_DEFAULT);
            if (g < 0) { rc = fail(err, op, loc, path, "cannot create parent group '%s'", buf); break; }
            H5Gclose(g);
        }
        *slash = '/';
    }
    if (gcpl >= 0) H5Pclose(gcpl);
    free(buf);
    return rc;
}

// ---- Files ---------------------------------------------------------------------------------

// "Semi" close degree: H5Fclose fails while objects of the file are open, instead of silently
// keeping the file open (weak) or invalidating handles Swift still holds (strong).
static hid_t new_fapl(void) {
    hid_t p = H5Pcreate(H5P_FILE_ACCESS);
    if (p >= 0 && H5Pset_fclose_degree(p, H5F_CLOSE_SEMI) < 0) { H5Pclose(p); return -1; }
    return p;
}

int h5_file_create(const char *path, h5_file *out, h5_error *err) {
    quiet();
    out->id = -1;
    hid_t fapl = new_fapl();
    hid_t f = fapl < 0 ? -1 : H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    int rc = f < 0 ? fail(err, "create file", -1, path, NULL) : 0;
    if (fapl >= 0) H5Pclose(fapl);
    out->id = f;
    return rc;
}

int h5_file_open(const char *path, int writable, h5_file *out, h5_error *err) {
    quiet();
    out->id = -1;
    // Check up front: HDF5's own messages for these two cases are long and indirect.
    struct stat st;
    if (stat(path, &st) != 0) return fail(err, "open file", -1, path, "%s", strerror(errno));
    if (S_ISDIR(st.st_mode)) return fail(err, "open file", -1, path, "is a directory");
#if H5_VERSION_GE(1, 12, 0)
    htri_t is = H5Fis_accessible(path, H5P_DEFAULT);  // H5Fis_hdf5 is deprecated from 1.12
#else
    htri_t is = H5Fis_hdf5(path);
#endif
    if (is < 0) return fail(err, "open file", -1, path, NULL);
    if (is == 0) return fail(err, "open file", -1, path, "not an HDF5 file (no HDF5 signature found)");
    hid_t fapl = new_fapl();
    hid_t f = fapl < 0 ? -1 : H5Fopen(path, writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl);
    int rc = f < 0 ? fail(err, "open file", -1, path, NULL) : 0;
    if (fapl >= 0) H5Pclose(fapl);
    out->id = f;
    return rc;
}

int h5_file_flush(h5_file file, h5_error *err) {
    quiet();
    if (H5Fflush(file.id, H5F_SCOPE_LOCAL) < 0) return fail(err, "flush file", file.id, NULL, NULL);
    return 0;
}

int h5_file_close(h5_file file, h5_error *err) {
    quiet();
    if (file.id <= 0) return 0;
    if (H5Fclose(file.id) < 0) {
        ssize_t open = H5Fget_obj_count(file.id, H5F_OBJ_ALL) - 1;  // minus the file itself
        if (open > 0)
            return fail(err, "close file", file.id, NULL,
                        "%zd group/dataset/attribute handle(s) of this file are still open", open);
        return fail(err, "close file", file.id, NULL, NULL);
    }
    return 0;
}

// ---- Groups --------------------------------------------------------------------------------

int h5_group_open(h5_object loc, const char *path, int create, h5_group *out, h5_error *err) {
    quiet();
    out->id = -1;
    const char *op = create ? "create group" : "open group";
    char *p = normalized(path);
    if (!p) return fail(err, op, loc.id, path, "out of memory");
    int exists = 0, rc = -1;
    h5_kind k = H5KIND_GROUP;
    if (path_exists(loc.id, p, &exists) < 0 || (exists && !is_self(p) && kind_at(loc.id, p, &k) < 0)) {
        rc = fail(err, op, loc.id, p, NULL);
    } else if (exists && k != H5KIND_GROUP) {
        rc = fail(err, op, loc.id, p, "a %s exists at this path", kind_name(k));
    } else if (exists) {
        out->id = H5Gopen2(loc.id, is_self(p) ? "." : p, H5P_DEFAULT);
        rc = out->id < 0 ? fail(err, op, loc.id, p, NULL) : 0;
    } else if (!create) {
        rc = fail(err, op, loc.id, p, "no such group");
    } else if (ensure_parents(err, op, loc.id, p) == 0) {
        hid_t gcpl = new_gcpl();
        out->id = gcpl < 0 ? -1 : H5Gcreate2(loc.id, p, H5P_DEFAULT, gcpl, H5P_DEFAULT);
        rc = out->id < 0 ? fail(err, op, loc.id, p, NULL) : 0;
        if (gcpl >= 0) H5Pclose(gcpl);
    }
    free(p);
    return rc;
}

void h5_group_close(h5_group group) {
    if (group.id > 0) H5Gclose(group.id);
}

int h5_exists(h5_object loc, const char *path, int *out, h5_error *err) {
    quiet();
    *out = 0;
    char *p = normalized(path);
    if (!p) return fail(err, "check path", loc.id, path, "out of memory");
    int rc = path_exists(loc.id, p, out) < 0 ? fail(err, "check path", loc.id, p, NULL) : 0;
    free(p);
    return rc;
}

int h5_kind_of(h5_object loc, const char *path, h5_kind *out, h5_error *err) {
    quiet();
    char *p = normalized(path);
    if (!p) return fail(err, "inspect", loc.id, path, "out of memory");
    int exists = 0, rc;
    if (path_exists(loc.id, p, &exists) < 0) rc = fail(err, "inspect", loc.id, p, NULL);
    else if (!exists) rc = fail(err, "inspect", loc.id, p, "no such object");
    else rc = kind_at(loc.id, is_self(p) ? "." : p, out) < 0 ? fail(err, "inspect", loc.id, p, NULL) : 0;
    free(p);
    return rc;
}

#if H5_VERSION_GE(1, 12, 0)
static herr_t member_cb(hid_t g, const char *name, const H5L_info2_t *info, void *data) {
#else
static herr_t member_cb(hid_t g, const char *name, const H5L_info_t *info, void *data) {
#endif
    (void)g;
    (void)info;
    return list_push(data, name, strlen(name)) < 0 ? -1 : 0;
}

int h5_group_members(h5_object group, h5_strings *out, h5_error *err) {
    quiet();
    out->items = NULL;
    out->count = 0;
    list_builder b = { 0 };
    hsize_t idx = 0;
#if H5_VERSION_GE(1, 12, 0)
    herr_t r = H5Literate2(group.id, H5_INDEX_NAME, H5_ITER_INC, &idx, member_cb, &b);
#else
    herr_t r = H5Literate(group.id, H5_INDEX_NAME, H5_ITER_INC, &idx, member_cb, &b);
#endif
    if (r < 0) {
        list_discard(&b);
        return fail(err, "list members of", group.id, NULL, NULL);
    }
    list_finish(&b, out);
    return 0;
}

// ---- Datasets ------------------------------------------------------------------------------

typedef struct {
    hid_t type, space;
    h5_dtype dtype;
    int rank;
    hsize_t dims[H5_MAX_RANK], maxdims[H5_MAX_RANK];
    int64_t npoints;
} shape_info;

static void shape_close(shape_info *s) {
    if (s->type >= 0) H5Tclose(s->type);
    if (s->space >= 0) H5Sclose(s->space);
    s->type = s->space = -1;
}

// Stored type and extent of a dataset (is_attr = 0) or attribute (is_attr = 1). A null dataspace
// is reported as rank 1 with zero elements.
static int shape_of(hid_t obj, int is_attr, shape_info *s) {
    memset(s, 0, sizeof *s);
    s->type = is_attr ? H5Aget_type(obj) : H5Dget_type(obj);
    s->space = is_attr ? H5Aget_space(obj) : H5Dget_space(obj);
    if (s->type < 0 || s->space < 0) { shape_close(s); return -1; }
    s->dtype = dtype_of(s->type);
    H5S_class_t cls = H5Sget_simple_extent_type(s->space);
    if (cls == H5S_NULL) { s->rank = 1; return 0; }
    int rank = H5Sget_simple_extent_ndims(s->space);
    if (rank < 0 || rank > H5_MAX_RANK || H5Sget_simple_extent_dims(s->space, s->dims, s->maxdims) < 0) {
        shape_close(s);
        return -1;
    }
    s->rank = rank;
    s->npoints = H5Sget_simple_extent_npoints(s->space);
    return 0;
}

static int64_t row_size(const shape_info *s) {
    int64_t n = 1;
    for (int i = 1; i < s->rank; i++) n *= (int64_t)s->dims[i];
    return n;
}

int h5_dataset_create(h5_object loc, const char *path, h5_dtype dtype, int rank, const int64_t *dims,
                      const int64_t *chunk, int deflate, int extendable, h5_dataset *out, h5_error *err) {
    quiet();
    out->id = -1;
    const char *op = "create dataset";
    if (!dtype_valid(dtype)) return fail(err, op, loc.id, path, "invalid dtype %d", (int)dtype);
    if (rank < 0 || rank > H5_MAX_RANK) return fail(err, op, loc.id, path, "rank %d outside 0...%d", rank, H5_MAX_RANK);
    for (int i = 0; i < rank; i++)
        if (dims[i] < 0) return fail(err, op, loc.id, path, "negative dimension %lld", (long long)dims[i]);
    if (deflate < -1 || deflate > 9) return fail(err, op, loc.id, path, "deflate level %d outside 0...9", deflate);
    if ((deflate >= 0 || extendable) && !chunk)
        return fail(err, op, loc.id, path, "compression and extendable datasets need a chunk shape");
    if (chunk && rank == 0) return fail(err, op, loc.id, path, "a scalar dataset cannot be chunked");
    if (chunk)
        for (int i = 0; i < rank; i++)
            if (chunk[i] < 1) return fail(err, op, loc.id, path, "chunk dimension %d is %lld, must be >= 1", i, (long long)chunk[i]);
    if (deflate >= 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0)
        return fail(err, op, loc.id, path, "this libhdf5 has no deflate (zlib) filter");

    char *p = normalized(path);
    if (!p) return fail(err, op, loc.id, path, "out of memory");
    int exists = 0, rc = -1;
    hid_t space = -1, ftype = -1, dcpl = -1;
    if (path_exists(loc.id, p, &exists) < 0) { rc = fail(err, op, loc.id, p, NULL); goto done; }
    if (exists) { rc = fail(err, op, loc.id, p, "an object with this name already exists"); goto done; }
    if (ensure_parents(err, op, loc.id, p) < 0) goto done;

    hsize_t hdims[H5_MAX_RANK], hmax[H5_MAX_RANK], hchunk[H5_MAX_RANK];
    for (int i = 0; i < rank; i++) {
        hdims[i] = hmax[i] = (hsize_t)dims[i];
        if (chunk) hchunk[i] = (hsize_t)chunk[i];
    }
    if (extendable) hmax[0] = H5S_UNLIMITED;
    space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, hdims, hmax);
    ftype = new_type(dtype, 1);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (space < 0 || ftype < 0 || dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0) {
        rc = fail(err, op, loc.id, p, NULL);
        goto done;
    }
    if (chunk && H5Pset_chunk(dcpl, rank, hchunk) < 0) { rc = fail(err, op, loc.id, p, NULL); goto done; }
    if (deflate >= 0) {
        // Shuffle groups the bytes of multi-byte numbers; floats compress far better after it.
        if (dtype != H5DTYPE_UINT8 && dtype != H5DTYPE_STRING && H5Pset_shuffle(dcpl) < 0) {
            rc = fail(err, op, loc.id, p, NULL);
            goto done;
        }
        if (H5Pset_deflate(dcpl, (unsigned)deflate) < 0) { rc = fail(err, op, loc.id, p, NULL); goto done; }
    }
    out->id = H5Dcreate2(loc.id, p, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    rc = out->id < 0 ? fail(err, op, loc.id, p, NULL) : 0;
done:
    if (dcpl >= 0) H5Pclose(dcpl);
    if (ftype >= 0) H5Tclose(ftype);
    if (space >= 0) H5Sclose(space);
    free(p);
    return rc;
}

int h5_dataset_open(h5_object loc, const char *path, int64_t chunk_cache_bytes, h5_dataset *out,
                    h5_error *err) {
    quiet();
    out->id = -1;
    const char *op = "open dataset";
    char *p = normalized(path);
    if (!p) return fail(err, op, loc.id, path, "out of memory");
    int exists = 0, rc = -1;
    h5_kind k = H5KIND_DATASET;
    hid_t dapl = -1;
    if (path_exists(loc.id, p, &exists) < 0 || (exists && kind_at(loc.id, p, &k) < 0)) {
        rc = fail(err, op, loc.id, p, NULL);
    } else if (!exists) {
        rc = fail(err, op, loc.id, p, "no such dataset");
    } else if (k != H5KIND_DATASET) {
        rc = fail(err, op, loc.id, p, "a %s exists at this path, not a dataset", kind_name(k));
    } else if ((dapl = H5Pcreate(H5P_DATASET_ACCESS)) < 0 ||
               (chunk_cache_bytes >= 0 &&
                H5Pset_chunk_cache(dapl, H5D_CHUNK_CACHE_NSLOTS_DEFAULT, (size_t)chunk_cache_bytes,
                                   H5D_CHUNK_CACHE_W0_DEFAULT) < 0)) {
        rc = fail(err, op, loc.id, p, NULL);
    } else {
        out->id = H5Dopen2(loc.id, p, dapl);
        rc = out->id < 0 ? fail(err, op, loc.id, p, NULL) : 0;
    }
    if (dapl >= 0) H5Pclose(dapl);
    free(p);
    return rc;
}

void h5_dataset_close(h5_dataset dataset) {
    if (dataset.id > 0) H5Dclose(dataset.id);
}

int h5_dataset_info(h5_dataset dataset, h5_dtype *dtype, int *rank, int64_t *dims, int64_t *maxdim0,
                    h5_error *err) {
    quiet();
    shape_info s;
    if (shape_of(dataset.id, 0, &s) < 0) return fail(err, "inspect dataset", dataset.id, NULL, NULL);
    *dtype = s.dtype;
    *rank = s.rank;
    for (int i = 0; i < s.rank; i++) dims[i] = (int64_t)s.dims[i];
    *maxdim0 = s.rank == 0 ? 0 : s.maxdims[0] == H5S_UNLIMITED ? -1 : (int64_t)s.maxdims[0];
    shape_close(&s);
    return 0;
}

int h5_dataset_storage(h5_dataset dataset, int *chunked, int64_t *chunk, int *deflate, h5_error *err) {
    quiet();
    *chunked = 0;
    *deflate = -1;
    hid_t dcpl = H5Dget_create_plist(dataset.id);
    if (dcpl < 0) return fail(err, "inspect dataset", dataset.id, NULL, NULL);
    int rc = 0;
    if (H5Pget_layout(dcpl) == H5D_CHUNKED) {
        hsize_t c[H5_MAX_RANK];
        int rank = H5Pget_chunk(dcpl, H5_MAX_RANK, c);
        if (rank < 0) rc = fail(err, "inspect dataset", dataset.id, NULL, NULL);
        for (int i = 0; i < rank; i++) chunk[i] = (int64_t)c[i];
        *chunked = 1;
    }
    int n = H5Pget_nfilters(dcpl);
    for (int i = 0; rc == 0 && i < n; i++) {
        unsigned flags, cd[8], config;
        size_t ncd = 8;
        char name[64];
        H5Z_filter_t f = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, sizeof name, name, &config);
        if (f == H5Z_FILTER_DEFLATE) *deflate = ncd > 0 ? (int)cd[0] : 0;
    }
    H5Pclose(dcpl);
    return rc;
}

// Checks the caller's dtype against the stored one: no silent conversions for datasets.
static int check_dtype(h5_error *err, const char *op, hid_t obj, const shape_info *s, h5_dtype want) {
    if (s->dtype == want) return 0;
    char stored[64];
    type_text(s->type, stored, sizeof stored);
    return fail(err, op, obj, NULL, "dataset holds %s, not %s", stored, h5_dtype_name(want));
}

int h5_dataset_write(h5_dataset dataset, h5_dtype dtype, const void *data, int64_t count, h5_error *err) {
    quiet();
    const char *op = "write dataset";
    shape_info s;
    if (!dtype_valid(dtype)) return fail(err, op, dataset.id, NULL, "invalid dtype %d", (int)dtype);
    if (shape_of(dataset.id, 0, &s) < 0) return fail(err, op, dataset.id, NULL, NULL);
    int rc = check_dtype(err, op, dataset.id, &s, dtype);
    if (rc == 0 && count != s.npoints)
        rc = fail(err, op, dataset.id, NULL, "%lld values given for %lld elements", (long long)count, (long long)s.npoints);
    if (rc == 0 && count > 0) {
        hid_t mt = new_type(dtype, 0);
        if (mt < 0 || H5Dwrite(dataset.id, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
            rc = fail(err, op, dataset.id, NULL, NULL);
        if (mt >= 0) H5Tclose(mt);
    }
    shape_close(&s);
    return rc;
}

// File and memory dataspaces for rows [start, start + rows) (rows < 0: everything). Sets *n to the
// number of elements selected; the caller closes both spaces.
static int select_rows(h5_error *err, const char *op, hid_t d, const shape_info *s, int64_t start,
                       int64_t rows, hid_t *fspace, hid_t *mspace, int64_t *n) {
    *fspace = *mspace = -1;
    if (rows < 0) {
        *n = s->npoints;
    } else {
        if (s->rank == 0) return fail(err, op, d, NULL, "a scalar dataset has no rows");
        if (start < 0 || start > (int64_t)s->dims[0] || rows > (int64_t)s->dims[0] - start)
            return fail(err, op, d, NULL, "rows %lld..<%lld out of range 0..<%llu", (long long)start,
                        (long long)(start + rows), (unsigned long long)s->dims[0]);
        *n = rows * row_size(s);
    }
    if (*n == 0) return 0;
    *fspace = H5Dget_space(d);
    if (*fspace < 0) return fail(err, op, d, NULL, NULL);
    if (rows >= 0) {
        hsize_t off[H5_MAX_RANK] = { 0 }, cnt[H5_MAX_RANK];
        off[0] = (hsize_t)start;
        cnt[0] = (hsize_t)rows;
        for (int i = 1; i < s->rank; i++) cnt[i] = s->dims[i];
        if (H5Sselect_hyperslab(*fspace, H5S_SELECT_SET, off, NULL, cnt, NULL) < 0) {
            int rc = fail(err, op, d, NULL, NULL);
            H5Sclose(*fspace);
            *fspace = -1;
            return rc;
        }
    }
    hsize_t m = (hsize_t)*n;  // memory is always a flat buffer; only element counts must match
    *mspace = H5Screate_simple(1, &m, NULL);
    if (*mspace < 0) {
        int rc = fail(err, op, d, NULL, NULL);
        H5Sclose(*fspace);
        *fspace = -1;
        return rc;
    }
    return 0;
}

int h5_dataset_read(h5_dataset dataset, h5_dtype dtype, int64_t start, int64_t rows, void *out,
                    int64_t count, h5_error *err) {
    quiet();
    const char *op = "read dataset";
    shape_info s;
    if (dtype == H5DTYPE_STRING) return fail(err, op, dataset.id, NULL, "use h5_dataset_read_strings for strings");
    if (!dtype_valid(dtype)) return fail(err, op, dataset.id, NULL, "invalid dtype %d", (int)dtype);
    if (shape_of(dataset.id, 0, &s) < 0) return fail(err, op, dataset.id, NULL, NULL);
    hid_t fs = -1, ms = -1, mt = -1;
    int64_t n = 0;
    int rc = check_dtype(err, op, dataset.id, &s, dtype);
    if (rc == 0) rc = select_rows(err, op, dataset.id, &s, start, rows, &fs, &ms, &n);
    if (rc == 0 && n != count)
        rc = fail(err, op, dataset.id, NULL, "buffer holds %lld values, selection has %lld", (long long)count, (long long)n);
    if (rc == 0 && n > 0) {
        mt = new_type(dtype, 0);
        if (mt < 0 || H5Dread(dataset.id, mt, ms, fs, H5P_DEFAULT, out) < 0) rc = fail(err, op, dataset.id, NULL, NULL);
    }
    if (mt >= 0) H5Tclose(mt);
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    shape_close(&s);
    return rc;
}

// Reads n strings of stored string type `ftype` from a dataset (selection fs/ms) or an attribute
// (whole). Handles variable-length strings (ours, h5py's str) and fixed-length ones (numpy bytes).
static int read_string_values(hid_t obj, int is_attr, hid_t ftype, hid_t fs, hid_t ms, int64_t n,
                              list_builder *b) {
    int rc = -1;
    hid_t mt = H5Tcopy(H5T_C_S1);
    if (mt < 0) return -1;
    H5T_cset_t cset = H5Tget_cset(ftype);
    if (H5Tis_variable_str(ftype) > 0) {
        char **buf = calloc((size_t)n, sizeof(char *));
        if (buf && H5Tset_size(mt, H5T_VARIABLE) >= 0 && H5Tset_cset(mt, cset) >= 0 &&
            (is_attr ? H5Aread(obj, mt, buf) : H5Dread(obj, mt, ms, fs, H5P_DEFAULT, buf)) >= 0) {
            rc = 0;
            for (int64_t i = 0; i < n && rc == 0; i++)
                rc = list_push(b, buf[i] ? buf[i] : "", buf[i] ? strlen(buf[i]) : 0);
#if H5_VERSION_GE(1, 12, 0)
            H5Treclaim(mt, ms, H5P_DEFAULT, buf);
#else
            H5Dvlen_reclaim(mt, ms, H5P_DEFAULT, buf);
#endif
        }
        free(buf);
    } else {
        size_t size = H5Tget_size(ftype);
        H5T_str_t pad = H5Tget_strpad(ftype);
        char *buf = size ? malloc(size * (size_t)n) : NULL;
        if (buf && H5Tset_size(mt, size) >= 0 && H5Tset_cset(mt, cset) >= 0 && H5Tset_strpad(mt, pad) >= 0 &&
            (is_attr ? H5Aread(obj, mt, buf) : H5Dread(obj, mt, ms, fs, H5P_DEFAULT, buf)) >= 0) {
            rc = 0;
            for (int64_t i = 0; i < n && rc == 0; i++) {
                const char *s = buf + (size_t)i * size;
                size_t len = strnlen(s, size);
                if (pad == H5T_STR_SPACEPAD)
                    while (len > 0 && s[len - 1] == ' ') len--;
                rc = list_push(b, s, len);
            }
        }
        free(buf);
    }
    H5Tclose(mt);
    return rc;
}

int h5_dataset_read_strings(h5_dataset dataset, int64_t start, int64_t rows, h5_strings *out, h5_error *err) {
    quiet();
    out->items = NULL;
    out->count = 0;
    const char *op = "read dataset";
    shape_info s;
    if (shape_of(dataset.id, 0, &s) < 0) return fail(err, op, dataset.id, NULL, NULL);
    hid_t fs = -1, ms = -1;
    int64_t n = 0;
    list_builder b = { 0 };
    int rc = check_dtype(err, op, dataset.id, &s, H5DTYPE_STRING);
    if (rc == 0) rc = select_rows(err, op, dataset.id, &s, start, rows, &fs, &ms, &n);
    if (rc == 0 && n > 0 && read_string_values(dataset.id, 0, s.type, fs, ms, n, &b) < 0)
        rc = fail(err, op, dataset.id, NULL, NULL);
    if (rc == 0) list_finish(&b, out);
    else list_discard(&b);
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    shape_close(&s);
    return rc;
}

int h5_dataset_append(h5_dataset dataset, h5_dtype dtype, const void *data, int64_t count, h5_error *err) {
    quiet();
    const char *op = "append to dataset";
    shape_info s;
    if (!dtype_valid(dtype)) return fail(err, op, dataset.id, NULL, "invalid dtype %d", (int)dtype);
    if (shape_of(dataset.id, 0, &s) < 0) return fail(err, op, dataset.id, NULL, NULL);
    int rc = check_dtype(err, op, dataset.id, &s, dtype);
    int64_t per_row = row_size(&s);
    hid_t fs = -1, ms = -1, mt = -1;
    if (rc == 0 && (s.rank == 0 || s.maxdims[0] != H5S_UNLIMITED))
        rc = fail(err, op, dataset.id, NULL, "dataset is not extendable (create it with an unlimited first dimension)");
    if (rc == 0 && (count < 0 || (per_row == 0 ? count != 0 : count % per_row != 0)))
        rc = fail(err, op, dataset.id, NULL, "%lld values is not a whole number of rows of %lld", (long long)count, (long long)per_row);
    if (rc == 0 && count > 0) {
        int64_t rows = count / per_row;
        hsize_t grown[H5_MAX_RANK], off[H5_MAX_RANK] = { 0 }, cnt[H5_MAX_RANK], m = (hsize_t)count;
        for (int i = 0; i < s.rank; i++) grown[i] = cnt[i] = s.dims[i];
        grown[0] += (hsize_t)rows;
        off[0] = s.dims[0];
        cnt[0] = (hsize_t)rows;
        mt = new_type(dtype, 0);
        if (mt < 0 || H5Dset_extent(dataset.id, grown) < 0 || (fs = H5Dget_space(dataset.id)) < 0 ||
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) < 0 ||
            (ms = H5Screate_simple(1, &m, NULL)) < 0 || H5Dwrite(dataset.id, mt, ms, fs, H5P_DEFAULT, data) < 0)
            rc = fail(err, op, dataset.id, NULL, NULL);
    }
    if (mt >= 0) H5Tclose(mt);
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    shape_close(&s);
    return rc;
}

// ---- Attributes ----------------------------------------------------------------------------

// fail() for attributes: names the attribute after the object it sits on.
#define ATTR_OP(buf, verb, name) (snprintf(buf, sizeof buf, "%s attribute '%s' of", verb, name), buf)

int h5_attr_write(h5_object obj, const char *name, h5_dtype dtype, int rank, int64_t count,
                  const void *data, h5_error *err) {
    quiet();
    char op[512];
    ATTR_OP(op, "write", name);
    if (!dtype_valid(dtype)) return fail(err, op, obj.id, NULL, "invalid dtype %d", (int)dtype);
    if (rank != 0 && rank != 1) return fail(err, op, obj.id, NULL, "rank %d, attributes here are scalars or 1-D", rank);
    if ((rank == 0 && count != 1) || count < 0)
        return fail(err, op, obj.id, NULL, "%lld values for rank %d", (long long)count, rank);
    htri_t e = H5Aexists(obj.id, name);
    if (e < 0 || (e > 0 && H5Adelete(obj.id, name) < 0)) return fail(err, op, obj.id, NULL, NULL);
    hsize_t n = (hsize_t)count;
    hid_t space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
    hid_t ft = new_type(dtype, 1), mt = new_type(dtype, 0), a = -1;
    int rc = 0;
    if (space < 0 || ft < 0 || mt < 0 || (a = H5Acreate2(obj.id, name, ft, space, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
        (count > 0 && H5Awrite(a, mt, data) < 0))
        rc = fail(err, op, obj.id, NULL, NULL);
    if (a >= 0) H5Aclose(a);
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (space >= 0) H5Sclose(space);
    return rc;
}

// Opens attribute `name`, with a clear message when it is missing.
static hid_t open_attr(h5_error *err, const char *op, hid_t obj, const char *name) {
    htri_t e = H5Aexists(obj, name);
    if (e < 0) return fail(err, op, obj, NULL, NULL);
    if (e == 0) return fail(err, op, obj, NULL, "no such attribute");
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0) return fail(err, op, obj, NULL, NULL);
    return a;
}

int h5_attr_info(h5_object obj, const char *name, h5_dtype *dtype, int *rank, int64_t *count, h5_error *err) {
    quiet();
    char op[512];
    ATTR_OP(op, "inspect", name);
    hid_t a = open_attr(err, op, obj.id, name);
    if (a < 0) return -1;
    shape_info s;
    int rc = shape_of(a, 1, &s) < 0 ? fail(err, op, obj.id, NULL, NULL) : 0;
    if (rc == 0) {
        *dtype = s.dtype;
        *rank = s.rank;
        *count = s.npoints;
        shape_close(&s);
    }
    H5Aclose(a);
    return rc;
}

int h5_attr_read(h5_object obj, const char *name, h5_dtype dtype, void *out, int64_t count, h5_error *err) {
    quiet();
    char op[512];
    ATTR_OP(op, "read", name);
    if (!is_integer(dtype) && !is_float(dtype))
        return fail(err, op, obj.id, NULL, "h5_attr_read reads numbers, not %s", h5_dtype_name(dtype));
    hid_t a = open_attr(err, op, obj.id, name);
    if (a < 0) return -1;
    shape_info s;
    int rc = shape_of(a, 1, &s) < 0 ? fail(err, op, obj.id, NULL, NULL) : 0;
    if (rc == 0) {
        char stored[64];
        type_text(s.type, stored, sizeof stored);
        H5T_class_t cls = H5Tget_class(s.type);
        if ((is_integer(dtype) && cls != H5T_INTEGER) || (is_float(dtype) && cls != H5T_FLOAT))
            rc = fail(err, op, obj.id, NULL, "attribute holds %s, not %s", stored, h5_dtype_name(dtype));
        else if (s.npoints != count)
            rc = fail(err, op, obj.id, NULL, "attribute holds %lld values, buffer has room for %lld",
                      (long long)s.npoints, (long long)count);
        else if (count > 0) {
            hid_t mt = new_type(dtype, 0);
            if (mt < 0 || H5Aread(a, mt, out) < 0) rc = fail(err, op, obj.id, NULL, NULL);
            if (mt >= 0) H5Tclose(mt);
        }
        shape_close(&s);
    }
    H5Aclose(a);
    return rc;
}

int h5_attr_read_strings(h5_object obj, const char *name, h5_strings *out, h5_error *err) {
    quiet();
    out->items = NULL;
    out->count = 0;
    char op[512];
    ATTR_OP(op, "read", name);
    hid_t a = open_attr(err, op, obj.id, name);
    if (a < 0) return -1;
    shape_info s;
    list_builder b = { 0 };
    int rc = shape_of(a, 1, &s) < 0 ? fail(err, op, obj.id, NULL, NULL) : 0;
    if (rc == 0) {
        char stored[64];
        type_text(s.type, stored, sizeof stored);
        hsize_t n = (hsize_t)s.npoints;
        hid_t ms = -1;
        if (s.dtype != H5DTYPE_STRING)
            rc = fail(err, op, obj.id, NULL, "attribute holds %s, not string", stored);
        else if (n > 0 && ((ms = H5Screate_simple(1, &n, NULL)) < 0 ||
                           read_string_values(a, 1, s.type, -1, ms, s.npoints, &b) < 0))
            rc = fail(err, op, obj.id, NULL, NULL);
        if (ms >= 0) H5Sclose(ms);
        shape_close(&s);
    }
    if (rc == 0) list_finish(&b, out);
    else list_discard(&b);
    H5Aclose(a);
    return rc;
}

int h5_attr_exists(h5_object obj, const char *name, int *out, h5_error *err) {
    quiet();
    char op[512];
    htri_t e = H5Aexists(obj.id, name);
    if (e < 0) return fail(err, ATTR_OP(op, "check", name), obj.id, NULL, NULL);
    *out = e > 0;
    return 0;
}

int h5_attr_delete(h5_object obj, const char *name, h5_error *err) {
    quiet();
    char op[512];
    ATTR_OP(op, "delete", name);
    htri_t e = H5Aexists(obj.id, name);
    if (e < 0) return fail(err, op, obj.id, NULL, NULL);
    if (e == 0) return fail(err, op, obj.id, NULL, "no such attribute");
    if (H5Adelete(obj.id, name) < 0) return fail(err, op, obj.id, NULL, NULL);
    return 0;
}

static herr_t attr_name_cb(hid_t loc, const char *name, const H5A_info_t *info, void *data) {
    (void)loc;
    (void)info;
    return list_push(data, name, strlen(name)) < 0 ? -1 : 0;
}

int h5_attr_names(h5_object obj, h5_strings *out, h5_error *err) {
    quiet();
    out->items = NULL;
    out->count = 0;
    list_builder b = { 0 };
    hsize_t idx = 0;
    if (H5Aiterate2(obj.id, H5_INDEX_NAME, H5_ITER_INC, &idx, attr_name_cb, &b) < 0) {
        list_discard(&b);
        return fail(err, "list attributes of", obj.id, NULL, NULL);
    }
    list_finish(&b, out);
    return 0;
}
