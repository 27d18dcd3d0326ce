/* cvision.h - OCRKit's C boundary over OpenCV (decode/encode, resize, colour, blur, warps,
 * contour geometry, polygon drawing). Pure C: this is the only CVision header Swift sees.
 *
 * Conventions (the same for every function below):
 *  - Every entry point returns an int status: CVI_OK (0) on success, another cv_status on
 *    failure. On failure `*err` (if err is not NULL) receives a message naming the operation and
 *    the sizes involved, and the out-parameters are left empty. Nothing here throws or aborts.
 *  - Ownership: everything returned through an out-parameter (cv_image, cv_bytes, cv_contours,
 *    cv_error) is owned by the caller (+1) and released with the matching *_free function, which
 *    is NULL-safe, resets the struct to empty and so is harmless to call twice. Inputs are
 *    borrowed for the duration of the call; only cv_fill_poly / cv_polylines write into a
 *    caller's buffer (the map they draw on).
 *  - Images are 8-bit, HWC, rows packed (row stride = width * channels), 1..4 channels, in
 *    OpenCV's channel order (gray, BGR, BGRA) unless a function says otherwise. The colour order
 *    is the caller's to track; only cv_color_convert and CVI_DECODE_RGB reorder channels.
 *  - Enum constants use the CVI_ prefix because OpenCV's own headers already define CV_INTER_*,
 *    CV_RETR_* and friends.
 */
#ifndef CVISION_H
#define CVISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status, errors ------------------------------------------------------------------------ */

typedef enum {
    CVI_OK = 0,
    CVI_E_ARGUMENT = 1, /* bad sizes, counts, enum values or NULL pointers from the caller */
    CVI_E_DECODE = 2,   /* bytes are not an image OpenCV reads (or are truncated) */
    CVI_E_IO = 3,       /* a file could not be read */
    CVI_E_OPENCV = 4,   /* OpenCV rejected the call (cv::Exception) */
    CVI_E_MEMORY = 5,   /* allocation failed */
    CVI_E_INTERNAL = 6  /* any other exception */
} cv_status;

typedef struct { char *message; } cv_error;
void cv_error_free(cv_error *err);

/* ---- buffers ------------------------------------------------------------------------------- */

/* A borrowed input image. */
typedef struct {
    const uint8_t *data;
    int32_t height, width, channels;
} cv_image_view;

/* A borrowed image the callee draws into (cv_fill_poly, cv_polylines). */
typedef struct {
    uint8_t *data;
    int32_t height, width, channels;
} cv_image_mut;

/* An owned output image (+1): height * width * channels bytes at data. */
typedef struct {
    uint8_t *data;
    int32_t height, width, channels;
} cv_image;
void cv_image_free(cv_image *img);

/* Owned bytes (+1), e.g. an encoded PNG. */
typedef struct {
    uint8_t *data;
    size_t size;
} cv_bytes;
void cv_bytes_free(cv_bytes *bytes);

/* ---- decode / encode ----------------------------------------------------------------------- */

typedef enum {
    CVI_DECODE_KEEP = 0, /* as stored: 1 (gray), 3 (BGR) or 4 (BGRA) channels; 16-bit and float
                            images are scaled to 8-bit; EXIF orientation is NOT applied (OpenCV's
                            IMREAD_UNCHANGED) */
    CVI_DECODE_GRAY = 1, /* 1 channel, BT.601 luma; EXIF orientation applied */
    CVI_DECODE_BGR = 2,  /* 3 channels B,G,R (what cv2.imdecode gives PaddleOCR); EXIF applied */
    CVI_DECODE_RGB = 3   /* 3 channels R,G,B; EXIF applied */
} cv_decode_mode;

/* Decodes any format this OpenCV build reads (PNG, JPEG, BMP, TIFF, WebP, ...). */
int cv_decode(cv_image *out, const uint8_t *data, size_t size, cv_decode_mode mode, cv_error *err);
/* Reads the whole file at `path` (UTF-8) and decodes it; errors name the path. */
int cv_decode_file(cv_image *out, const char *path, cv_decode_mode mode, cv_error *err);

typedef enum {
    CVI_FORMAT_PNG = 0, /* lossless; 1, 3 or 4 channels */
    CVI_FORMAT_JPEG = 1 /* quality 0...100; 1 or 3 channels (4 drops alpha) */
} cv_format;

/* `quality` is read for JPEG only. Input channel order is OpenCV's (gray, BGR, BGRA). */
int cv_encode(cv_bytes *out, cv_image_view img, cv_format format, int32_t quality, cv_error *err);

/* ---- pixel operations ---------------------------------------------------------------------- */

typedef enum {
    CVI_INTER_NEAREST = 0,
    CVI_INTER_LINEAR = 1,
    CVI_INTER_CUBIC = 2,
    CVI_INTER_AREA = 3,  /* best for shrinking; warps treat it as linear (OpenCV does) */
    CVI_INTER_LANCZOS4 = 4
} cv_interpolation;

typedef enum {
    CVI_BORDER_CONSTANT = 0,   /* fill with border_value */
    CVI_BORDER_REPLICATE = 1,  /* aaa|abcd|ddd */
    CVI_BORDER_REFLECT = 2,    /* cba|abcd|dcb */
    CVI_BORDER_REFLECT101 = 3, /* dcb|abcd|cba, OpenCV's default for filters */
    CVI_BORDER_WRAP = 4        /* bcd|abcd|abc; warps only (Gaussian blur rejects it) */
} cv_border_mode;

/* A per-channel value (B,G,R,A order for colour images); unused channels are ignored. */
typedef struct { double v[4]; } cv_scalar;

int cv_resize(cv_image *out, cv_image_view src, int32_t width, int32_t height,
              cv_interpolation interpolation, cv_error *err);

typedef enum {
    CVI_COLOR_BGR2RGB = 0,   /* also RGB->BGR: a swap */
    CVI_COLOR_BGR2GRAY = 1,  /* 0.299 R + 0.587 G + 0.114 B */
    CVI_COLOR_RGB2GRAY = 2,
    CVI_COLOR_GRAY2BGR = 3,  /* also GRAY->RGB */
    CVI_COLOR_BGR2BGRA = 4,  /* alpha = 255; also RGB->RGBA */
    CVI_COLOR_BGR2RGBA = 5,  /* also RGB->BGRA */
    CVI_COLOR_BGRA2BGR = 6,  /* drops alpha; also RGBA->RGB */
    CVI_COLOR_BGRA2RGB = 7,  /* also RGBA->BGR */
    CVI_COLOR_BGRA2GRAY = 8,
    CVI_COLOR_RGBA2GRAY = 9,
    CVI_COLOR_GRAY2BGRA = 10, /* also GRAY->RGBA */
    CVI_COLOR_BGRA2RGBA = 11  /* also RGBA->BGRA */
} cv_color_conversion;

int cv_color_convert(cv_image *out, cv_image_view src, cv_color_conversion code, cv_error *err);

/* kernel_width/height: odd and > 0, or both 0 to derive them from the sigmas.
   sigma_y == 0 means sigma_y = sigma_x. */
int cv_gaussian_blur(cv_image *out, cv_image_view src, int32_t kernel_width, int32_t kernel_height,
                     double sigma_x, double sigma_y, cv_border_mode border, cv_error *err);

/* ---- geometric transforms ------------------------------------------------------------------ */

/* `matrix` is row-major and maps source to destination pixels (cv::warpAffine without
   WARP_INVERSE_MAP): 6 values (2x3) for affine, 9 (3x3) for perspective; `matrix_count` is checked.
   A singular matrix is an error. The output is width x height with src's channels. */
int cv_warp_affine(cv_image *out, cv_image_view src, const double *matrix, int32_t matrix_count,
                   int32_t width, int32_t height, cv_interpolation interpolation,
                   cv_border_mode border, cv_scalar border_value, cv_error *err);
int cv_warp_perspective(cv_image *out, cv_image_view src, const double *matrix, int32_t matrix_count,
                        int32_t width, int32_t height, cv_interpolation interpolation,
                        cv_border_mode border, cv_scalar border_value, cv_error *err);

typedef struct { float x, y; } cv_point2f;
typedef struct { int32_t x, y; } cv_point2i;

/* Writes the row-major 3x3 matrix (9 doubles) mapping 4 src points onto 4 dst points. Degenerate
   points (three collinear) are an error. */
int cv_get_perspective_transform(double *out_matrix9, const cv_point2f *src, int32_t src_count,
                                 const cv_point2f *dst, int32_t dst_count, cv_error *err);
/* Writes the row-major 2x3 matrix (6 doubles) mapping 3 src points onto 3 dst points. */
int cv_get_affine_transform(double *out_matrix6, const cv_point2f *src, int32_t src_count,
                            const cv_point2f *dst, int32_t dst_count, cv_error *err);

/* ---- contours and polygon geometry --------------------------------------------------------- */

/* Polygons packed end to end: polygon i has lengths[i] points, starting after those of 0..i-1. */
typedef struct {
    cv_point2i *points;
    int32_t *lengths;
    int32_t count;
} cv_contours;
void cv_contours_free(cv_contours *contours);

typedef enum {
    CVI_RETR_EXTERNAL = 0, /* outer contours only */
    CVI_RETR_LIST = 1,     /* all contours, no hierarchy (what PaddleOCR's DB post-process uses) */
    CVI_RETR_CCOMP = 2,
    CVI_RETR_TREE = 3
} cv_contour_mode;

typedef enum {
    CVI_CHAIN_APPROX_NONE = 0,  /* every boundary pixel */
    CVI_CHAIN_APPROX_SIMPLE = 1 /* straight runs collapsed to their end points */
} cv_contour_method;

/* `map` must have 1 channel; any non-zero pixel is foreground. The map is not modified.
   Hierarchy is not returned. */
int cv_find_contours(cv_contours *out, cv_image_view map, cv_contour_mode mode,
                     cv_contour_method method, cv_error *err);

/* Shoelace area of a polygon (>= 1 point); signed by orientation when `oriented` is non-zero. */
int cv_contour_area(double *out_area, const cv_point2f *points, int32_t count, int oriented,
                    cv_error *err);
/* Perimeter of a curve (>= 1 point), closed or open. */
int cv_arc_length(double *out_length, const cv_point2f *points, int32_t count, int closed,
                  cv_error *err);

/* angle in degrees; OpenCV >= 4.5.1 convention: (0, 90] for minAreaRect results. */
typedef struct {
    cv_point2f center;
    float width, height;
    float angle;
} cv_rotated_rect;

/* Smallest rotated rectangle around >= 1 finite points. */
int cv_min_area_rect(cv_rotated_rect *out, const cv_point2f *points, int32_t count, cv_error *err);
/* Writes the 4 corners (bottom-left, top-left, top-right, bottom-right, as cv::boxPoints orders
   them) to out_points4. The rect must be finite with non-negative size. */
int cv_box_points(cv_point2f *out_points4, cv_rotated_rect rect, cv_error *err);

/* ---- drawing (into a caller's buffer) ------------------------------------------------------ */

typedef enum {
    CVI_LINE_4 = 0,  /* 4-connected */
    CVI_LINE_8 = 1,  /* 8-connected, OpenCV's default */
    CVI_LINE_AA = 2  /* antialiased */
} cv_line_type;

/* Fills `count` polygons (packed as in cv_contours; each needs >= 1 point) with `value`, in place.
   count == 0 draws nothing. Points outside the map are clipped. */
int cv_fill_poly(cv_image_mut map, const cv_point2i *points, const int32_t *lengths, int32_t count,
                 cv_scalar value, cv_line_type line_type, cv_error *err);
/* Draws polygon outlines of `thickness` (>= 1) pixels, closing each when `closed` is non-zero. */
int cv_polylines(cv_image_mut map, const cv_point2i *points, const int32_t *lengths, int32_t count,
                 int closed, cv_scalar value, int32_t thickness, cv_line_type line_type,
                 cv_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CVISION_H */
