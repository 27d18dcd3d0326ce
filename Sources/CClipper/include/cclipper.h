/* cclipper.h - OCRKit's C boundary over Clipper (Debian's libpolyclipping): polygon offsetting,
 * the one operation DB detection needs - shrinking label polygons (MakeShrinkMap) and growing
 * detected boxes (DBPostProcess's unclip). Pure C: the only Clipper header Swift sees.
 *
 * Conventions:
 *  - Every entry point returns 0 on success, another value on failure; on failure `*err` (when
 *    not NULL) receives a malloc'd message naming the operation (free it with ccl_error_free).
 *  - Clipper works on integer coordinates. Points are multiplied by `scale` and rounded before
 *    offsetting, and divided by it afterwards; scale 1 is what PaddleOCR's pyclipper does.
 *  - Results are owned by the caller and released with ccl_paths_free (NULL-safe, idempotent).
 */
#ifndef CCLIPPER_H
#define CCLIPPER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct { char *message; } ccl_error;
void ccl_error_free(ccl_error *err);

/* Joins at convex corners, as Clipper's JoinType. */
typedef enum { CCL_JOIN_SQUARE = 0, CCL_JOIN_ROUND = 1, CCL_JOIN_MITER = 2 } ccl_join;

/* Polygons: `xy` holds x0, y0, x1, y1, ... for all of them; polygon i has counts[i] points. */
typedef struct {
    double *xy;
    size_t *counts;
    size_t count; /* number of polygons */
} ccl_paths;
void ccl_paths_free(ccl_paths *paths);

/* Offsets the closed polygon (xy: n points) by `delta` (negative shrinks), as
 * ClipperOffset.AddPath(path, join, etClosedPolygon) + Execute(delta). An empty result (the
 * polygon shrank away) is success with count 0. */
int ccl_offset(const double *xy, size_t n, double delta, ccl_join join, double scale,
               ccl_paths *out, ccl_error *err);

#ifdef __cplusplus
}
#endif

#endif
