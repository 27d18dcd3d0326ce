// chdf5.h - the pure-C boundary between Swift and libhdf5 (1.10+).
//
// Why a shim: HDF5's predefined types (H5T_NATIVE_FLOAT) and property defaults (H5P_DEFAULT)
// are macros over library globals that Swift cannot import, and libhdf5 prints its error stack
// to stderr by default. This header exposes only what the Swift `HDF5` target needs.
//
// Conventions (every entry point):
//   - returns 0 on success and -1 on failure; results go through out-parameters;
//   - on failure fills `err->message` (malloc'd, free with h5_error_free) with the operation,
//     the object path, the file, and HDF5's error stack (outermost first, root cause last);
//     `err` may be NULL;
//   - never prints, aborts or exits.
// Ownership: returned handles and h5_strings are owned by the caller (+1) and released with the
// matching *_close / *_free; input handles are borrowed. All strings are NUL-terminated UTF-8.
// Thread safety: Debian's libhdf5 is built thread-safe (one global lock), so calls from several
// threads are serialised by the library, not by this shim.
#ifndef CHDF5_H
#define CHDF5_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// One struct per handle kind, so Swift sees distinct types. `id` is an HDF5 hid_t; <= 0 is "none".
typedef struct { int64_t id; } h5_file;
typedef struct { int64_t id; } h5_group;
typedef struct { int64_t id; } h5_dataset;
typedef struct { int64_t id; } h5_object;   // any open file, group or dataset: where paths start
                                            // and where attributes live (a file means its root group)

typedef struct { char *message; } h5_error;             // filled on failure; h5_error_free
typedef struct { char **items; int64_t count; } h5_strings;  // owned list; h5_strings_free

// Element types. Files use little-endian standard types; memory uses native types.
typedef enum {
    H5DTYPE_FLOAT32 = 0,
    H5DTYPE_FLOAT64,
    H5DTYPE_INT32,
    H5DTYPE_INT64,
    H5DTYPE_UINT8,
    H5DTYPE_STRING,       // variable-length UTF-8 when written; fixed-length strings are readable
    H5DTYPE_UNSUPPORTED,  // any other stored type (reported, never read)
} h5_dtype;

typedef enum {
    H5KIND_GROUP = 0,
    H5KIND_DATASET,
    H5KIND_OTHER,   // named datatype or anything else
} h5_kind;

#define H5_MAX_RANK 32

static inline h5_object h5_file_object(h5_file f) { h5_object o = { f.id }; return o; }
static inline h5_object h5_group_object(h5_group g) { h5_object o = { g.id }; return o; }
static inline h5_object h5_dataset_object(h5_dataset d) { h5_object o = { d.id }; return o; }

void h5_error_free(h5_error *err);       // NULL-safe; leaves message NULL
void h5_strings_free(h5_strings *list);  // NULL-safe; leaves the list empty
const char *h5_dtype_name(h5_dtype dtype);  // "float32", ...; static storage

// ---- Files -------------------------------------------------------------------------------
// Closing a file while groups/datasets of it are still open fails (HDF5's "semi" close degree),
// so a caller can never believe a file is written while it is still open.
int h5_file_create(const char *path, h5_file *out, h5_error *err);   // creates or truncates
int h5_file_open(const char *path, int writable, h5_file *out, h5_error *err);
int h5_file_flush(h5_file file, h5_error *err);
int h5_file_close(h5_file file, h5_error *err);                      // id <= 0: no-op

// ---- Groups and paths ----------------------------------------------------------------------
// Paths are relative to `loc` ("a/b/c") or absolute ("/a/b"). Missing parent groups are created
// by the create functions.
int h5_group_open(h5_object loc, const char *path, int create, h5_group *out, h5_error *err);
void h5_group_close(h5_group group);                                 // NULL-safe, never fails
int h5_exists(h5_object loc, const char *path, int *out, h5_error *err);
int h5_kind_of(h5_object loc, const char *path, h5_kind *out, h5_error *err);
int h5_group_members(h5_object group, h5_strings *out, h5_error *err);  // link names, sorted by name

// ---- Datasets --------------------------------------------------------------------------------
// rank 0 is a scalar. `chunk` (rank entries) NULL means contiguous storage. `deflate` is -1 (none)
// or a gzip level 0...9 and needs a chunk shape; multi-byte types also get the shuffle filter.
// `extendable` makes dimension 0 unlimited (needs a chunk shape), for h5_dataset_append.
int h5_dataset_create(h5_object loc, const char *path, h5_dtype dtype, int rank, const int64_t *dims,
                      const int64_t *chunk, int deflate, int extendable, h5_dataset *out, h5_error *err);
// chunk_cache_bytes < 0 keeps HDF5's default (1 MiB per dataset); 0 turns the chunk cache off,
// so reads of uncompressed chunks fetch exactly the selected bytes (random access to blobs).
int h5_dataset_open(h5_object loc, const char *path, int64_t chunk_cache_bytes, h5_dataset *out,
                    h5_error *err);
void h5_dataset_close(h5_dataset dataset);                           // NULL-safe, never fails
// dims has room for H5_MAX_RANK entries; maxdim0 is -1 when dimension 0 is unlimited.
int h5_dataset_info(h5_dataset dataset, h5_dtype *dtype, int *rank, int64_t *dims, int64_t *maxdim0,
                    h5_error *err);
// chunk has room for H5_MAX_RANK entries; *deflate is -1 when there is no gzip filter.
int h5_dataset_storage(h5_dataset dataset, int *chunked, int64_t *chunk, int *deflate, h5_error *err);

// Numeric data is `count` elements of `dtype`; for H5DTYPE_STRING, `data` is `const char *const *`
// (count pointers). The dtype must equal the stored dtype exactly (no silent conversion).
int h5_dataset_write(h5_dataset dataset, h5_dtype dtype, const void *data, int64_t count, h5_error *err);
// Reads rows [start, start + rows) along dimension 0 into `out` (room for `count` elements, which
// must equal rows x row size). rows < 0 reads the whole dataset (scalars included).
int h5_dataset_read(h5_dataset dataset, h5_dtype dtype, int64_t start, int64_t rows, void *out,
                    int64_t count, h5_error *err);
int h5_dataset_read_strings(h5_dataset dataset, int64_t start, int64_t rows, h5_strings *out,
                            h5_error *err);
// Grows dimension 0 of an extendable dataset by count / row size rows and writes them.
int h5_dataset_append(h5_dataset dataset, h5_dtype dtype, const void *data, int64_t count, h5_error *err);

// ---- Attributes --------------------------------------------------------------------------------
// rank is 0 (scalar, count 1) or 1 (count elements, may be 0). Writing replaces an existing
// attribute of the same name. Strings: `data` is `const char *const *`.
int h5_attr_write(h5_object obj, const char *name, h5_dtype dtype, int rank, int64_t count,
                  const void *data, h5_error *err);
int h5_attr_info(h5_object obj, const char *name, h5_dtype *dtype, int *rank, int64_t *count,
                 h5_error *err);
// Numeric reads convert within a class (any stored integer to H5DTYPE_INT64, float32 to float64),
// because other tools pick integer widths freely; integer <-> float is refused.
int h5_attr_read(h5_object obj, const char *name, h5_dtype dtype, void *out, int64_t count, h5_error *err);
int h5_attr_read_strings(h5_object obj, const char *name, h5_strings *out, h5_error *err);
int h5_attr_exists(h5_object obj, const char *name, int *out, h5_error *err);
int h5_attr_delete(h5_object obj, const char *name, h5_error *err);
int h5_attr_names(h5_object obj, h5_strings *out, h5_error *err);   // sorted by name

#ifdef __cplusplus
}
#endif

#endif  // CHDF5_H
