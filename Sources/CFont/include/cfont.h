// CFont: font files -> shaped, rasterised text runs, over FreeType and HarfBuzz. Pure C.
//
// Ownership: every handle or buffer an entry point returns through an out-parameter is owned by
// the caller (+1) and freed with the matching *_free function (all NULL-safe); inputs are borrowed.
// Every entry point returns a cf_status and, on failure, fills `err->message` (free it with
// cf_error_free); the message names the font file. Nothing here aborts or exits.
//
// Threads: each cf_font owns its own FT_Library, FT_Face, hb_font_t and hb_buffer_t, because
// FreeType is not thread-safe per library. One cf_font may be used by one thread at a time;
// different cf_fonts (even of the same file) may be used concurrently.
//
// Coordinates: pixels. Shaping results are in the font's y-up space (HarfBuzz's); masks are
// row-major with y down, and say where the baseline and the pen origin ended up.
#ifndef CFONT_H
#define CFONT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CF_OK = 0,
    CF_E_ARGUMENT = 1,   // bad sizes, counts or handles from the caller
    CF_E_IO = 2,         // the file cannot be opened or read
    CF_E_FORMAT = 3,     // not a font FreeType reads, bitmap-only, no Unicode map, face index out of range
    CF_E_FREETYPE = 4,   // FreeType rejected an operation on a font it opened
    CF_E_MEMORY = 5,
} cf_status;

typedef struct { char *message; } cf_error;
void cf_error_free(cf_error *err);

/// One open face of one font file.
typedef struct { void *ptr; } cf_font;

typedef struct {
    char family[256];        // e.g. "DejaVu Sans" ("" when the font has none)
    char style[256];         // e.g. "Bold Oblique"
    char format[32];         // FreeType's name for the format: "TrueType", "CFF", "Type 1", ...
    int32_t face_index;
    int32_t num_faces;       // faces in the file (> 1 for .ttc collections)
    int32_t num_glyphs;
    int32_t units_per_em;
} cf_font_info;

/// Whether a code point has a glyph that draws it.
/// BLANK: the character map has a glyph but its outline has no points - right for a space, a hidden
/// tofu for a letter (the caller decides which).
/// MISMATCH: an ASCII letter or digit mapped to a glyph whose name says it is something else
/// (symbol fonts such as URW's Standard Symbols and Dingbats .otf map "A" to "Alpha" or "a10"):
/// the text would render as the wrong characters, so treat it as missing.
typedef enum { CF_GLYPH_PRESENT = 0, CF_GLYPH_MISSING = 1, CF_GLYPH_BLANK = 2, CF_GLYPH_MISMATCH = 3 } cf_glyph_status;

/// Opens face `face_index` of the font file at `path` and selects its Unicode character map.
/// For Type 1 files (.pfb/.pfa/.t1) a sibling .afm with the same base name is attached (kerning).
/// Fails with CF_E_FORMAT for files that are not fonts, bitmap-only faces, faces without a
/// Unicode map (symbol-encoded fonts) and face indices past the file's last face.
int cf_font_open(cf_font *out, const char *path, int32_t face_index, cf_error *err);
void cf_font_free(cf_font font);

int cf_font_get_info(cf_font font, cf_font_info *out, cf_error *err);

/// Sets the em size in pixels (fractional sizes allowed); shaping and rasterising use it.
int cf_font_set_pixel_size(cf_font font, double pixels_per_em, cf_error *err);

/// `status_out[i]` (a cf_glyph_status) for each of `count` code points.
int cf_font_check_coverage(cf_font font, const uint32_t *codepoints, int32_t count, uint8_t *status_out,
                           cf_error *err);

/// Every code point of the face's Unicode map, ascending, with its cf_glyph_status in `status[i]`
/// (never MISSING).
typedef struct {
    uint32_t *codepoints;
    uint8_t *status;
    int32_t count;
} cf_charmap;
int cf_font_get_charmap(cf_font font, cf_charmap *out, cf_error *err);
void cf_charmap_free(cf_charmap *map);

/// One shaped glyph, in visual order. Positions are pixels, y up (HarfBuzz's convention).
typedef struct {
    uint32_t glyph;          // glyph index; 0 is .notdef - the font could not draw that character
    uint32_t cluster;        // byte offset in the UTF-8 input of the character(s) it draws
    float x_advance, y_advance, x_offset, y_offset;
} cf_glyph;

typedef struct {
    cf_glyph *glyphs;
    int32_t count;
    int32_t notdef_count;    // glyphs with index 0: > 0 means the run would show tofu
} cf_run;
void cf_run_free(cf_run *run);

/// Shapes `length` bytes of UTF-8 at the current size (direction and script are guessed from the
/// text). `letter_spacing` pixels are added after every cluster but the last; when it is non-zero
/// the optional ligatures (liga, clig, dlig, hlig) are off, as CSS does.
int cf_shape(cf_font font, const char *utf8, int32_t length, float letter_spacing, cf_run *out, cf_error *err);

/// Per-glyph jitter (handwriting). Rotation and scale act about the glyph's centre at a quarter em
/// above the baseline; `dy` is in pixels, y down.
typedef struct {
    float dx, dy;
    float angle;             // radians, counter-clockwise
    float scale;             // 1 = unchanged; <= 0 is treated as 1
} cf_glyph_transform;

typedef struct {
    float embolden;          // stroke width change in pixels (FT_Outline_Embolden); negative thins
    float shear;             // synthetic oblique: x += shear * height above the baseline
    int32_t padding;         // blank pixels added on each side of the ink and line box
} cf_raster_options;

/// An 8-bit coverage mask (0 background .. 255 ink) of a run, large enough for all its ink and
/// its line box (pen origin to pen end, descender to ascender), plus padding.
typedef struct {
    uint8_t *pixels;         // width * height bytes, row-major, y down
    int32_t width, height;
    int32_t baseline_y;      // y of the baseline (y down): rows < baseline_y are above it
    float origin_x;          // column of the pen's start
    float advance;           // pen advance of the whole run, pixels
    // The line box: how far the font's tall letters ("Hdlbhk") reach above the baseline and its
    // descenders ("gpqyj") below it, measured from their outlines (fonts' own ascender/descender
    // fields vary too much between fonts - DKG's spans 2.4 em - to size a crop by); the face's
    // fields, then 0.8 / -0.2 em, stand in for fonts without those letters.
    float ascender;          // above the baseline, pixels (positive)
    float descender;         // below the baseline, pixels (negative)
    // Tight box around pixels > 0: [left, right) x [top, bottom); all 0 when the run has no ink.
    int32_t ink_left, ink_top, ink_right, ink_bottom;
} cf_mask;
void cf_mask_free(cf_mask *mask);

/// Rasterises a shaped run at the current size. `transforms` has `count` entries or is NULL.
/// Overlapping glyphs (connected scripts) combine by maximum coverage, not by sum.
int cf_rasterize(cf_font font, const cf_glyph *glyphs, int32_t count, const cf_glyph_transform *transforms,
                 cf_raster_options options, cf_mask *out, cf_error *err);

#ifdef __cplusplus
}
#endif

#endif
