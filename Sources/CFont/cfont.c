// CFont implementation. See cfont.h for ownership, threading and coordinate conventions.
#include "cfont.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include FT_FONT_FORMATS_H
#include FT_TRUETYPE_TABLES_H

#include <hb.h>
#include <hb-ft.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    FT_Library library;  // one per font: FreeType libraries are not thread-safe
    FT_Face face;
    hb_font_t *hb_font;
    hb_buffer_t *buffer; // reused across cf_shape calls
    char *path;
    int32_t face_index;
    double pixels_per_em;
    double ascender_em, descender_em;  // the measured line box, see cf_mask
} font_impl;

// Sizes past this are a caller bug (a runaway font size or text), not a line image.
#define CF_MAX_MASK_BYTES ((int64_t)1 << 28)

// MARK: errors

// strdup is POSIX, not C11.
static char *dup_string(const char *s) {
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy) memcpy(copy, s, n);
    return copy;
}

void cf_error_free(cf_error *err) {
    if (!err) return;
    free(err->message);
    err->message = NULL;
}

static int fail(cf_error *err, cf_status status, const char *format, ...) {
    if (err) {
        free(err->message);
        err->message = NULL;
        va_list args;
        va_start(args, format);
        char buffer[1024];
        vsnprintf(buffer, sizeof buffer, format, args);
        va_end(args);
        err->message = dup_string(buffer);
    }
    return status;
}

static const char *ft_text(FT_Error e) {
    const char *s = FT_Error_String(e);  // NULL unless FreeType was built with error strings
    if (s) return s;
    static _Thread_local char code[32];
    snprintf(code, sizeof code, "FreeType error 0x%02x", (unsigned)e);
    return code;
}

static font_impl *impl_of(cf_font font) { return (font_impl *)font.ptr; }

#define REQUIRE_FONT(font, op)                                                                           \
    font_impl *f = impl_of(font);                                                                        \
    if (!f) return fail(err, CF_E_ARGUMENT, "%s: the font handle is null", op)

static void measure_line_box(FT_Face face, double *ascender, double *descender);

// MARK: opening

static int has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

// Type 1 fonts keep their kerning in a sibling .afm file; FreeType reads it through FT_Attach_File.
static void attach_afm(FT_Face face, const char *path) {
    if (!(has_suffix(path, ".pfb") || has_suffix(path, ".pfa") || has_suffix(path, ".t1"))) return;
    const char *dot = strrchr(path, '.');
    size_t stem = (size_t)(dot - path);
    char *afm = malloc(stem + 5);
    if (!afm) return;
    memcpy(afm, path, stem);
    memcpy(afm + stem, ".afm", 5);
    FILE *probe = fopen(afm, "rb");
    if (probe) {
        fclose(probe);
        (void)FT_Attach_File(face, afm);  // kerning is optional: a bad .afm leaves the font usable
    }
    free(afm);
}

static void font_destroy(font_impl *f) {
    if (!f) return;
    if (f->hb_font) hb_font_destroy(f->hb_font);
    if (f->buffer) hb_buffer_destroy(f->buffer);
    if (f->face) FT_Done_Face(f->face);
    if (f->library) FT_Done_FreeType(f->library);
    free(f->path);
    free(f);
}

int cf_font_open(cf_font *out, const char *path, int32_t face_index, cf_error *err) {
    if (!out || !path) return fail(err, CF_E_ARGUMENT, "open font: null output or path");
    out->ptr = NULL;
    if (face_index < 0) return fail(err, CF_E_ARGUMENT, "open font '%s': face index %d is negative", path, face_index);
    font_impl *f = calloc(1, sizeof *f);
    if (!f || !(f->path = dup_string(path))) {
        free(f);
        return fail(err, CF_E_MEMORY, "open font '%s': out of memory", path);
    }
    f->face_index = face_index;
    FT_Error e = FT_Init_FreeType(&f->library);
    if (e) {
        font_destroy(f);
        return fail(err, CF_E_FREETYPE, "open font '%s': cannot start FreeType (%s)", path, ft_text(e));
    }
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        font_destroy(f);
        return fail(err, CF_E_IO, "open font '%s': cannot open the file (missing or unreadable)", path);
    }
    fclose(probe);
    e = FT_New_Face(f->library, path, face_index, &f->face);
    if (e) {
        f->face = NULL;
        int status = CF_E_FORMAT;
        char detail[160];
        if (e == FT_Err_Unknown_File_Format) {
            snprintf(detail, sizeof detail, "not a font file FreeType can read");
        } else if (e == FT_Err_Invalid_Argument && face_index > 0) {
            // Ask the file how many faces it has, for the message.
            FT_Face any = NULL;
            long faces = 0;
            if (FT_New_Face(f->library, path, -1, &any) == 0 && any) {
                faces = any->num_faces;
                FT_Done_Face(any);
            }
            snprintf(detail, sizeof detail, "face index %d out of range (the file has %ld face%s)", face_index,
                     faces, faces == 1 ? "" : "s");
        } else if (e == FT_Err_Cannot_Open_Resource) {
            status = CF_E_IO;
            snprintf(detail, sizeof detail, "cannot open the file");
        } else {
            snprintf(detail, sizeof detail, "%s", ft_text(e));
        }
        font_destroy(f);
        return fail(err, status, "open font '%s': %s", path, detail);
    }
    if (!FT_IS_SCALABLE(f->face)) {
        font_destroy(f);
        return fail(err, CF_E_FORMAT, "open font '%s': a bitmap-only font (no outlines), which cannot be scaled", path);
    }
    if (FT_Select_Charmap(f->face, FT_ENCODING_UNICODE) != 0) {
        font_destroy(f);
        return fail(err, CF_E_FORMAT,
                    "open font '%s': no Unicode character map (a symbol-encoded font?), so text cannot be mapped to glyphs",
                    path);
    }
    attach_afm(f->face, path);
    measure_line_box(f->face, &f->ascender_em, &f->descender_em);
    f->hb_font = hb_ft_font_create_referenced(f->face);
    f->buffer = hb_buffer_create();
    if (!f->hb_font || !hb_buffer_allocation_successful(f->buffer)) {
        font_destroy(f);
        return fail(err, CF_E_MEMORY, "open font '%s': cannot create the HarfBuzz font", path);
    }
    f->pixels_per_em = 0;
    out->ptr = f;
    int status = cf_font_set_pixel_size(*out, 32.0, err);
    if (status != CF_OK) {
        font_destroy(f);
        out->ptr = NULL;
    }
    return status;
}

void cf_font_free(cf_font font) { font_destroy(impl_of(font)); }

int cf_font_get_info(cf_font font, cf_font_info *out, cf_error *err) {
    REQUIRE_FONT(font, "font info");
    if (!out) return fail(err, CF_E_ARGUMENT, "font info of '%s': null output", f->path);
    memset(out, 0, sizeof *out);
    snprintf(out->family, sizeof out->family, "%s", f->face->family_name ? f->face->family_name : "");
    snprintf(out->style, sizeof out->style, "%s", f->face->style_name ? f->face->style_name : "");
    const char *format = FT_Get_Font_Format(f->face);
    snprintf(out->format, sizeof out->format, "%s", format ? format : "");
    out->face_index = f->face_index;
    out->num_faces = (int32_t)f->face->num_faces;
    out->num_glyphs = (int32_t)f->face->num_glyphs;
    out->units_per_em = f->face->units_per_EM;
    return CF_OK;
}

int cf_font_set_pixel_size(cf_font font, double pixels_per_em, cf_error *err) {
    REQUIRE_FONT(font, "set pixel size");
    if (!(pixels_per_em >= 1.0 && pixels_per_em <= 2048.0)) {
        return fail(err, CF_E_ARGUMENT, "set pixel size of '%s': %g is outside 1...2048", f->path, pixels_per_em);
    }
    if (pixels_per_em == f->pixels_per_em) return CF_OK;
    FT_Error e = FT_Set_Char_Size(f->face, 0, (FT_F26Dot6)lround(pixels_per_em * 64.0), 72, 72);
    if (e) return fail(err, CF_E_FREETYPE, "set pixel size %g of '%s': %s", pixels_per_em, f->path, ft_text(e));
    hb_ft_font_changed(f->hb_font);
    f->pixels_per_em = pixels_per_em;
    return CF_OK;
}

// MARK: coverage

// A glyph is blank when its unscaled outline has no points (spaces; also empty placeholder glyphs
// that some fonts map letters to). Fonts whose glyphs cannot be loaded unscaled count as inked.
static int glyph_is_blank(FT_Face face, FT_UInt glyph) {
    if (FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_BITMAP | FT_LOAD_NO_HINTING) != 0) return 0;
    return face->glyph->format == FT_GLYPH_FORMAT_OUTLINE && face->glyph->outline.n_points == 0;
}

static int is_hex(const char *s) {
    if (!*s) return 0;
    for (; *s; s++) {
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'F') || (*s >= 'a' && *s <= 'f'))) return 0;
    }
    return 1;
}

static int is_digits(const char *s) {
    if (!*s) return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
    }
    return 1;
}

// Whether an ASCII letter or digit is mapped to a glyph whose name says it draws something else.
// Names that carry no meaning (none, "glyph12", "gid12", "cid12") and "uniXXXX"/"uXXXX" naming the
// same code point pass; so do "A.alt", "A_B" (variants, ligatures starting with the letter).
static int glyph_name_contradicts(FT_Face face, uint32_t cp, FT_UInt glyph) {
    static const char *digits[10] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    char expected[8];
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) {
        expected[0] = (char)cp;
        expected[1] = 0;
    } else if (cp >= '0' && cp <= '9') {
        snprintf(expected, sizeof expected, "%s", digits[cp - '0']);
    } else {
        return 0;
    }
    if (!FT_HAS_GLYPH_NAMES(face)) return 0;
    char name[64] = "";
    if (FT_Get_Glyph_Name(face, glyph, name, sizeof name) != 0 || !name[0]) return 0;
    size_t n = strlen(expected);
    if (strncmp(name, expected, n) == 0 && (name[n] == 0 || name[n] == '.' || name[n] == '_')) return 0;
    if (strncmp(name, "glyph", 5) == 0 && is_digits(name + 5)) return 0;
    if ((strncmp(name, "gid", 3) == 0 || strncmp(name, "cid", 3) == 0) && is_digits(name + 3)) return 0;
    char base[64];
    snprintf(base, sizeof base, "%s", name);
    char *dot = strchr(base, '.');
    if (dot) *dot = 0;
    const char *hex = strncmp(base, "uni", 3) == 0 ? base + 3 : base[0] == 'u' ? base + 1 : NULL;
    if (hex && is_hex(hex)) return strtoul(hex, NULL, 16) != cp;
    return 1;
}

static uint8_t glyph_status(FT_Face face, uint32_t cp, FT_UInt glyph) {
    if (glyph == 0) return CF_GLYPH_MISSING;
    if (glyph_name_contradicts(face, cp, glyph)) return CF_GLYPH_MISMATCH;
    return glyph_is_blank(face, glyph) ? CF_GLYPH_BLANK : CF_GLYPH_PRESENT;
}

// The line box in em (see cf_mask): tall letters' tops and descenders' bottoms, from unscaled outlines.
static void measure_line_box(FT_Face face, double *ascender, double *descender) {
    double upem = face->units_per_EM > 0 ? face->units_per_EM : 1000;
    double top = -1e9, bottom = 1e9;
    const char *tall = "Hdlbhk", *deep = "gpqyj";
    for (int pass = 0; pass < 2; pass++) {
        for (const char *c = pass == 0 ? tall : deep; *c; c++) {
            FT_UInt g = FT_Get_Char_Index(face, (FT_ULong)*c);
            if (g == 0 || glyph_name_contradicts(face, (uint32_t)*c, g)) continue;
            if (FT_Load_Glyph(face, g, FT_LOAD_NO_SCALE | FT_LOAD_NO_BITMAP | FT_LOAD_NO_HINTING) != 0) continue;
            if (face->glyph->format != FT_GLYPH_FORMAT_OUTLINE || face->glyph->outline.n_points == 0) continue;
            FT_BBox box;
            FT_Outline_Get_CBox(&face->glyph->outline, &box);
            if (pass == 0 && box.yMax / upem > top) top = box.yMax / upem;
            if (pass == 1 && box.yMin / upem < bottom) bottom = box.yMin / upem;
        }
    }
    if (!(top >= 0.3 && top <= 2.0)) top = face->ascender / upem;
    if (!(top >= 0.3 && top <= 2.0)) top = 0.8;
    if (!(bottom <= -0.02 && bottom >= -1.0)) bottom = face->descender / upem;
    if (!(bottom <= -0.02 && bottom >= -1.0)) bottom = -0.2;
    *ascender = top;
    *descender = bottom;
}

int cf_font_check_coverage(cf_font font, const uint32_t *codepoints, int32_t count, uint8_t *status_out,
                           cf_error *err) {
    REQUIRE_FONT(font, "check coverage");
    if (count < 0 || (count > 0 && (!codepoints || !status_out))) {
        return fail(err, CF_E_ARGUMENT, "check coverage of '%s': %d code points with null buffers", f->path, count);
    }
    for (int32_t i = 0; i < count; i++) {
        status_out[i] = glyph_status(f->face, codepoints[i], FT_Get_Char_Index(f->face, codepoints[i]));
    }
    return CF_OK;
}

int cf_font_get_charmap(cf_font font, cf_charmap *out, cf_error *err) {
    REQUIRE_FONT(font, "read character map");
    if (!out) return fail(err, CF_E_ARGUMENT, "read character map of '%s': null output", f->path);
    memset(out, 0, sizeof *out);
    int32_t capacity = 256, n = 0;
    uint32_t *cps = malloc(sizeof *cps * (size_t)capacity);
    uint8_t *status = malloc((size_t)capacity);
    FT_UInt g = 0;
    for (FT_ULong c = FT_Get_First_Char(f->face, &g); g != 0; c = FT_Get_Next_Char(f->face, c, &g)) {
        if (!cps || !status) break;
        if (n == capacity) {
            capacity *= 2;
            uint32_t *c2 = realloc(cps, sizeof *cps * (size_t)capacity);
            if (c2) cps = c2;
            uint8_t *b2 = realloc(status, (size_t)capacity);
            if (b2) status = b2;
            if (!c2 || !b2) {
                free(cps);
                free(status);
                cps = NULL;
                status = NULL;
                break;
            }
        }
        cps[n] = (uint32_t)c;
        status[n] = glyph_status(f->face, (uint32_t)c, g);
        n++;
    }
    if (!cps || !status) {
        free(cps);
        free(status);
        return fail(err, CF_E_MEMORY, "read character map of '%s': out of memory", f->path);
    }
    out->codepoints = cps;
    out->status = status;
    out->count = n;
    return CF_OK;
}

void cf_charmap_free(cf_charmap *map) {
    if (!map) return;
    free(map->codepoints);
    free(map->status);
    memset(map, 0, sizeof *map);
}

// MARK: shaping

void cf_run_free(cf_run *run) {
    if (!run) return;
    free(run->glyphs);
    memset(run, 0, sizeof *run);
}

int cf_shape(cf_font font, const char *utf8, int32_t length, float letter_spacing, cf_run *out, cf_error *err) {
    REQUIRE_FONT(font, "shape");
    if (!out || length < 0 || (length > 0 && !utf8) || !isfinite(letter_spacing)) {
        return fail(err, CF_E_ARGUMENT, "shape with '%s': null output or text, negative length or non-finite spacing",
                    f->path);
    }
    memset(out, 0, sizeof *out);
    hb_buffer_t *buf = f->buffer;
    hb_buffer_clear_contents(buf);
    hb_buffer_set_flags(buf, HB_BUFFER_FLAG_BOT | HB_BUFFER_FLAG_EOT);
    hb_buffer_add_utf8(buf, utf8, length, 0, length);
    hb_buffer_guess_segment_properties(buf);
    // Spaced-out text must not keep ligatures (CSS letter-spacing does the same).
    hb_feature_t features[4];
    unsigned feature_count = 0;
    if (letter_spacing != 0.0f) {
        const char *tags[4] = {"liga", "clig", "dlig", "hlig"};
        for (int i = 0; i < 4; i++) {
            features[i].tag = hb_tag_from_string(tags[i], 4);
            features[i].value = 0;
            features[i].start = HB_FEATURE_GLOBAL_START;
            features[i].end = HB_FEATURE_GLOBAL_END;
        }
        feature_count = 4;
    }
    hb_shape(f->hb_font, buf, feature_count ? features : NULL, feature_count);
    if (!hb_buffer_allocation_successful(buf)) {
        return fail(err, CF_E_MEMORY, "shape %d bytes with '%s': out of memory", length, f->path);
    }
    unsigned n = 0;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
    if (n == 0) return CF_OK;
    cf_glyph *glyphs = malloc(sizeof *glyphs * n);
    if (!glyphs) return fail(err, CF_E_MEMORY, "shape %d bytes with '%s': out of memory", length, f->path);
    int32_t notdef = 0;
    for (unsigned i = 0; i < n; i++) {
        glyphs[i].glyph = info[i].codepoint;  // after shaping, `codepoint` holds the glyph index
        glyphs[i].cluster = info[i].cluster;
        glyphs[i].x_advance = pos[i].x_advance / 64.0f;  // hb_ft scales to 26.6 pixels
        glyphs[i].y_advance = pos[i].y_advance / 64.0f;
        glyphs[i].x_offset = pos[i].x_offset / 64.0f;
        glyphs[i].y_offset = pos[i].y_offset / 64.0f;
        if (info[i].codepoint == 0) notdef++;
        // Spacing goes after the last glyph of each cluster (marks stay on their base), not after the run.
        int last_of_cluster = i + 1 == n || info[i + 1].cluster != info[i].cluster;
        if (letter_spacing != 0.0f && last_of_cluster && i + 1 < n) glyphs[i].x_advance += letter_spacing;
    }
    out->glyphs = glyphs;
    out->count = (int32_t)n;
    out->notdef_count = notdef;
    return CF_OK;
}

// MARK: rasterising

void cf_mask_free(cf_mask *mask) {
    if (!mask) return;
    free(mask->pixels);
    memset(mask, 0, sizeof *mask);
}

typedef struct {
    uint8_t *pixels;
    int32_t width, height;
} span_target;

// FreeType's direct-rendering callback: rows count up from the bottom of the clip box.
static void draw_spans(int y, int count, const FT_Span *spans, void *user) {
    span_target *t = user;
    int row = t->height - 1 - y;
    if (row < 0 || row >= t->height) return;
    uint8_t *line = t->pixels + (size_t)row * (size_t)t->width;
    for (int i = 0; i < count; i++) {
        int x0 = spans[i].x < 0 ? 0 : spans[i].x;
        int x1 = spans[i].x + spans[i].len;
        if (x1 > t->width) x1 = t->width;
        uint8_t c = spans[i].coverage;
        for (int x = x0; x < x1; x++) {
            if (line[x] < c) line[x] = c;
        }
    }
}

static FT_Fixed fixed16(double v) { return (FT_Fixed)lround(v * 65536.0); }

int cf_rasterize(cf_font font, const cf_glyph *glyphs, int32_t count, const cf_glyph_transform *transforms,
                 cf_raster_options options, cf_mask *out, cf_error *err) {
    REQUIRE_FONT(font, "rasterize");
    if (!out || count < 0 || (count > 0 && !glyphs) || options.padding < 0 || options.padding > 4096 ||
        !isfinite(options.embolden) || !isfinite(options.shear) || fabsf(options.embolden) > 512 ||
        fabsf(options.shear) > 4) {
        return fail(err, CF_E_ARGUMENT,
                    "rasterize with '%s': bad arguments (count %d, padding %d, embolden %g, shear %g)", f->path, count,
                    options.padding, options.embolden, options.shear);
    }
    memset(out, 0, sizeof *out);
    FT_Face face = f->face;
    const double ppem = f->pixels_per_em;
    const double ascender = f->ascender_em * ppem;
    const double descender = f->descender_em * ppem;

    // Pass 1: every glyph's outline, transformed into run coordinates (26.6, y up, pen starts at 0).
    FT_Outline *outlines = calloc(count > 0 ? (size_t)count : 1, sizeof *outlines);
    if (!outlines) return fail(err, CF_E_MEMORY, "rasterize %d glyphs with '%s': out of memory", count, f->path);
    int32_t made = 0;
    int status = CF_OK;
    double pen_x = 0, pen_y = 0;
    double min_x = 0, max_x = 0, min_y = descender, max_y = ascender;  // the line box, at least
    for (int32_t i = 0; i < count; i++) {
        const cf_glyph *g = &glyphs[i];
        FT_Error e = FT_Load_Glyph(face, g->glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP);
        if (e) {
            status = fail(err, CF_E_FREETYPE, "rasterize glyph %u of '%s' at %g px: %s", g->glyph, f->path, ppem,
                          ft_text(e));
            break;
        }
        FT_GlyphSlot slot = face->glyph;
        double advance = g->x_advance;
        if (slot->format == FT_GLYPH_FORMAT_OUTLINE && slot->outline.n_points > 0) {
            FT_Outline *o = &outlines[made];
            e = FT_Outline_New(f->library, (FT_UInt)slot->outline.n_points, slot->outline.n_contours, o);
            if (e) {
                status = fail(err, CF_E_MEMORY, "rasterize glyph %u of '%s': %s", g->glyph, f->path, ft_text(e));
                break;
            }
            made++;
            FT_Outline_Copy(&slot->outline, o);
            if (options.embolden != 0.0f) FT_Outline_Embolden(o, (FT_Pos)lround(options.embolden * 64.0));
            if (options.shear != 0.0f) {
                FT_Matrix m = {fixed16(1), fixed16(options.shear), 0, fixed16(1)};
                FT_Outline_Transform(o, &m);
            }
            if (transforms) {
                const cf_glyph_transform *t = &transforms[i];
                double s = t->scale > 0 && isfinite(t->scale) ? t->scale : 1.0;
                double a = isfinite(t->angle) ? t->angle : 0.0;
                if (s != 1.0 || a != 0.0) {
                    // About the glyph's centre a quarter em above the baseline.
                    FT_Pos cx = (FT_Pos)lround(advance * 0.5 * 64.0), cy = (FT_Pos)lround(ppem * 0.25 * 64.0);
                    FT_Outline_Translate(o, -cx, -cy);
                    FT_Matrix m = {fixed16(s * cos(a)), fixed16(-s * sin(a)), fixed16(s * sin(a)), fixed16(s * cos(a))};
                    FT_Outline_Transform(o, &m);
                    FT_Outline_Translate(o, cx, cy);
                }
            }
            double dx = transforms && isfinite(transforms[i].dx) ? transforms[i].dx : 0.0;
            double dy = transforms && isfinite(transforms[i].dy) ? -transforms[i].dy : 0.0;  // y down -> y up
            FT_Outline_Translate(o, (FT_Pos)lround((pen_x + g->x_offset + dx) * 64.0),
                                 (FT_Pos)lround((pen_y + g->y_offset + dy) * 64.0));
            FT_BBox box;
            FT_Outline_Get_CBox(o, &box);
            if (box.xMin / 64.0 < min_x) min_x = box.xMin / 64.0;
            if (box.xMax / 64.0 > max_x) max_x = box.xMax / 64.0;
            if (box.yMin / 64.0 < min_y) min_y = box.yMin / 64.0;
            if (box.yMax / 64.0 > max_y) max_y = box.yMax / 64.0;
        }
        // Emboldening widens each glyph; its advance grows with it, as FT_GlyphSlot_Embolden does.
        if (advance != 0 && options.embolden != 0.0f) advance += options.embolden;
        pen_x += advance;
        pen_y += g->y_advance;
    }
    if (pen_x > max_x) max_x = pen_x;
    if (pen_x < min_x) min_x = pen_x;

    if (status == CF_OK) {
        int32_t pad = options.padding;
        int32_t left = (int32_t)floor(min_x), right = (int32_t)ceil(max_x);
        int32_t bottom = (int32_t)floor(min_y), top = (int32_t)ceil(max_y);
        int64_t w = (int64_t)right - left + 2 * pad, h = (int64_t)top - bottom + 2 * pad;
        if (w < 1) w = 1;
        if (h < 1) h = 1;
        if (w * h > CF_MAX_MASK_BYTES) {
            status = fail(err, CF_E_ARGUMENT, "rasterize %d glyphs with '%s' at %g px: mask of %lldx%lld is too large",
                          count, f->path, ppem, (long long)w, (long long)h);
        } else {
            uint8_t *pixels = calloc((size_t)(w * h), 1);
            if (!pixels) {
                status = fail(err, CF_E_MEMORY, "rasterize with '%s': out of memory for a %lldx%lld mask", f->path,
                              (long long)w, (long long)h);
            } else {
                // Pass 2: shift so the box's lower-left corner (less padding) is pixel (0, 0), render.
                span_target target = {pixels, (int32_t)w, (int32_t)h};
                FT_Raster_Params params;
                memset(&params, 0, sizeof params);
                params.flags = FT_RASTER_FLAG_AA | FT_RASTER_FLAG_DIRECT | FT_RASTER_FLAG_CLIP;
                params.gray_spans = draw_spans;
                params.user = &target;
                params.clip_box.xMin = 0;
                params.clip_box.yMin = 0;
                params.clip_box.xMax = (FT_Pos)w;
                params.clip_box.yMax = (FT_Pos)h;
                FT_Pos shift_x = (FT_Pos)(pad - left) * 64, shift_y = (FT_Pos)(pad - bottom) * 64;
                for (int32_t i = 0; i < made && status == CF_OK; i++) {
                    FT_Outline_Translate(&outlines[i], shift_x, shift_y);
                    FT_Error e = FT_Outline_Render(f->library, &outlines[i], &params);
                    if (e) status = fail(err, CF_E_FREETYPE, "rasterize with '%s': %s", f->path, ft_text(e));
                }
                if (status == CF_OK) {
                    int32_t il = (int32_t)w, it = (int32_t)h, ir = 0, ib = 0;
                    for (int32_t y = 0; y < h; y++) {
                        const uint8_t *line = pixels + (size_t)y * (size_t)w;
                        for (int32_t x = 0; x < w; x++) {
                            if (!line[x]) continue;
                            if (x < il) il = x;
                            if (x + 1 > ir) ir = x + 1;
                            if (y < it) it = y;
                            if (y + 1 > ib) ib = y + 1;
                        }
                    }
                    if (ir == 0) il = it = ir = ib = 0;
                    out->pixels = pixels;
                    out->width = (int32_t)w;
                    out->height = (int32_t)h;
                    out->baseline_y = (int32_t)(h - (pad - bottom));
                    out->origin_x = (float)(pad - left);
                    out->advance = (float)pen_x;
                    out->ascender = (float)ascender;
                    out->descender = (float)descender;
                    out->ink_left = il;
                    out->ink_top = it;
                    out->ink_right = ir;
                    out->ink_bottom = ib;
                } else {
                    free(pixels);
                }
            }
        }
    }
    for (int32_t i = 0; i < made; i++) FT_Outline_Done(f->library, &outlines[i]);
    free(outlines);
    return status;
}
