// cvision_image.cpp - pixels: decode/encode, resize, colour conversion, blur, warps.
// Every entry point is `guarded`: checks first (with messages a caller can act on), then OpenCV.
#include "cvision_guard.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <vector>

using namespace cvision;

extern "C" void cv_error_free(cv_error *err) {
    if (!err) return;
    std::free(err->message);
    err->message = nullptr;
}

extern "C" void cv_image_free(cv_image *img) {
    if (!img) return;
    std::free(img->data);
    *img = cv_image{};
}

extern "C" void cv_bytes_free(cv_bytes *bytes) {
    if (!bytes) return;
    std::free(bytes->data);
    *bytes = cv_bytes{};
}

// ---- decode / encode -------------------------------------------------------------------------

namespace {

int imread_flags(cv_decode_mode mode) {
    switch (mode) {
        case CVI_DECODE_KEEP: return cv::IMREAD_UNCHANGED;
        case CVI_DECODE_GRAY: return cv::IMREAD_GRAYSCALE;
        case CVI_DECODE_BGR:
        case CVI_DECODE_RGB: return cv::IMREAD_COLOR;
    }
    fail(CVI_E_ARGUMENT, "unknown decode mode ", int(mode));
}

// Decodes into an 8-bit 1/3/4-channel Mat in the requested order.
cv::Mat decode_mat(const uint8_t *data, size_t size, cv_decode_mode mode) {
    const int flags = imread_flags(mode);
    require(data != nullptr || size == 0, "data is NULL with size ", size);
    // cv::Mat counts columns in int.
    require(size <= size_t(INT_MAX), "input of ", size, " bytes is larger than OpenCV accepts");
    cv::Mat img;
    if (size > 0) img = cv::imdecode(cv::Mat(1, int(size), CV_8UC1, const_cast<uint8_t *>(data)), flags);
    if (img.empty())
        fail(CVI_E_DECODE, "could not decode ", size, " bytes (not an image OpenCV reads, or truncated)");

    // IMREAD_UNCHANGED keeps 16-bit PNG/TIFF and float EXR/HDR as stored; the boundary is 8-bit only.
    switch (img.depth()) {
        case CV_8U: break;
        case CV_16U: img.convertTo(img, CV_8U, 1.0 / 256.0); break;
        case CV_32F:
        case CV_64F: img.convertTo(img, CV_8U, 255.0); break;  // assumes [0, 1]; saturates beyond
        default: fail(CVI_E_DECODE, "decoded image has unsupported depth ", img.depth());
    }
    if (img.channels() == 2) {  // gray + alpha
        cv::Mat planes[2];
        cv::split(img, planes);
        cv::Mat bgra[4] = {planes[0], planes[0], planes[0], planes[1]};
        cv::merge(bgra, 4, img);
    }
    if (img.channels() != 1 && img.channels() != 3 && img.channels() != 4)
        fail(CVI_E_DECODE, "decoded image has unsupported channel count ", img.channels());
    if (mode == CVI_DECODE_RGB) cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
    return img;
}

}  // namespace

extern "C" int cv_decode(cv_image *out, const uint8_t *data, size_t size, cv_decode_mode mode,
                         cv_error *err) {
    return guarded("decode", err, [&](std::string &) {
        require(out != nullptr, "out is NULL");
        *out = cv_image{};
        emit(out, decode_mat(data, size, mode));
    });
}

extern "C" int cv_decode_file(cv_image *out, const char *path, cv_decode_mode mode, cv_error *err) {
    return guarded("decode_file", err, [&](std::string &context) {
        require(out != nullptr, "out is NULL");
        *out = cv_image{};
        require(path != nullptr, "path is NULL");
        context = str("'", path, "'");
        // Read the bytes ourselves (instead of cv::imread) so a missing file and a bad image get
        // different, precise messages, and both paths decode identically.
        std::FILE *f = std::fopen(path, "rb");
        if (!f) fail(CVI_E_IO, "cannot open '", path, "': ", std::strerror(errno));
        std::vector<uint8_t> bytes;
        uint8_t chunk[1 << 16];
        size_t n = 0;
        while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.insert(bytes.end(), chunk, chunk + n);
        const bool failed = std::ferror(f);
        const int error = errno;
        std::fclose(f);
        if (failed) fail(CVI_E_IO, "cannot read '", path, "': ", std::strerror(error));  // e.g. a directory
        emit(out, decode_mat(bytes.data(), bytes.size(), mode));
    });
}

extern "C" int cv_encode(cv_bytes *out, cv_image_view img, cv_format format, int32_t quality,
                         cv_error *err) {
    return guarded("encode", err, [&](std::string &context) {
        require(out != nullptr, "out is NULL");
        *out = cv_bytes{};
        context = describe(img);
        cv::Mat m = borrow(img);
        require(m.channels() != 2, "images with 2 channels cannot be encoded");
        std::vector<int> params;
        const char *ext = nullptr;
        switch (format) {
            case CVI_FORMAT_PNG: ext = ".png"; break;
            case CVI_FORMAT_JPEG:
                require(quality >= 0 && quality <= 100, "JPEG quality must be 0...100, got ", quality);
                ext = ".jpg";
                params = {cv::IMWRITE_JPEG_QUALITY, quality};
                break;
            default: fail(CVI_E_ARGUMENT, "unknown format ", int(format));
        }
        std::vector<uint8_t> buf;
        if (!cv::imencode(ext, m, buf, params)) fail(CVI_E_OPENCV, "OpenCV could not encode as ", ext);
        auto *data = static_cast<uint8_t *>(std::malloc(buf.size()));
        if (!data) throw std::bad_alloc();
        std::memcpy(data, buf.data(), buf.size());
        *out = cv_bytes{data, buf.size()};
    });
}

// ---- pixel operations ------------------------------------------------------------------------

extern "C" int cv_resize(cv_image *out, cv_image_view src, int32_t width, int32_t height,
                         cv_interpolation interpolation, cv_error *err) {
    return guarded("resize", err, [&](std::string &context) {
        require(out != nullptr, "out is NULL");
        *out = cv_image{};
        context = str(describe(src), " -> ", width, "x", height);
        cv::Mat s = borrow(src);
        require(width > 0 && height > 0, "target size must be positive");
        cv::Mat d;
        cv::resize(s, d, cv::Size(width, height), 0, 0, interpolation_flag(interpolation));
        emit(out, d);
    });
}

namespace {

struct ColorCode {
    int code;         // cv::COLOR_*
    int in_channels;  // what the conversion reads
};

ColorCode color_code(cv_color_conversion c) {
    switch (c) {
        case CVI_COLOR_BGR2RGB: return {cv::COLOR_BGR2RGB, 3};
        case CVI_COLOR_BGR2GRAY: return {cv::COLOR_BGR2GRAY, 3};
        case CVI_COLOR_RGB2GRAY: return {cv::COLOR_RGB2GRAY, 3};
        case CVI_COLOR_GRAY2BGR: return {cv::COLOR_GRAY2BGR, 1};
        case CVI_COLOR_BGR2BGRA: return {cv::COLOR_BGR2BGRA, 3};
        case CVI_COLOR_BGR2RGBA: return {cv::COLOR_BGR2RGBA, 3};
        case CVI_COLOR_BGRA2BGR: return {cv::COLOR_BGRA2BGR, 4};
        case CVI_COLOR_BGRA2RGB: return {cv::COLOR_BGRA2RGB, 4};
        case CVI_COLOR_BGRA2GRAY: return {cv::COLOR_BGRA2GRAY, 4};
        case CVI_COLOR_RGBA2GRAY: return {cv::COLOR_RGBA2GRAY, 4};
        case CVI_COLOR_GRAY2BGRA: return {cv::COLOR_GRAY2BGRA, 1};
        case CVI_COLOR_BGRA2RGBA: return {cv::COLOR_BGRA2RGBA, 4};
    }
    fail(CVI_E_ARGUMENT, "unknown colour conversion ", int(c));
}

}  // namespace

extern "C" int cv_color_convert(cv_image *out, cv_image_view src, cv_color_conversion code,
                                cv_error *err) {
    return guarded("color_convert", err, [&](std::string &context) {
        require(out != nullptr, "out is NULL");
        *out = cv_image{};
        context = str(describe(src), ", code ", int(code));
        cv::Mat s = borrow(src);
        const ColorCode c = color_code(code);
        require(s.channels() == c.in_channels, "conversion reads ", c.in_channels, " channels, image has ",
                s.channels());
        cv::Mat d;
        cv::cvtColor(s, d, c.code);
        emit(out, d);
    });
}

extern "C" int cv_gaussian_blur(cv_image *out, cv_image_view src, int32_t kernel_width,
                                int32_t kernel_height, double sigma_x, double sigma_y,
                                cv_border_mode border, cv_error *err) {
    return guarded("gaussian_blur", err, [&](std::string &context) {
        require(out != nullptr, "out is NULL");
        *out = cv_image{};
        context = str(describe(src), ", kernel ", kernel_width, "x", kernel_height, ", sigma ", sigma_x,
                      "/", sigma_y);
        cv::Mat s = borrow(src);
        const bool derived = kernel_width == 0 && kernel_height == 0;
        const bool odd = kernel_width > 0 && kernel_height > 0 && kernel_width % 2 == 1 && kernel_height % 2 == 1;
        require(derived || odd, "kernel sizes must be odd and positive, or both 0");
        require(std::isfinite(sigma_x) && std::isfinite(sigma_y) && sigma_x >= 0 && sigma_y >= 0,
                "sigmas must be finite and >= 0");
        require(!derived || sigma_x > 0, "a derived kernel (0x0) needs sigma_x > 0");
        require(border != CVI_BORDER_WRAP, "Gaussian blur does not support the wrap border");
        cv::Mat d;
        cv::GaussianBlur(s, d, cv::Size(kernel_width, kernel_height), sigma_x, sigma_y, border_flag(border));
        emit(out, d);
    });
}

// ---- geometric transforms --------------------------------------------------------------------

namespace {

cv::Mat matrix_arg(const double *matrix, int32_t count, int rows) {
    const int32_t expected = rows * 3;
    require(matrix != nullptr, "matrix is NULL");
    require(count == expected, "matrix has ", count, " values, needs ", expected, " (", rows, "x3)");
    for (int32_t i = 0; i < count; ++i) require(std::isfinite(matrix[i]), "matrix[", i, "] is not finite");
    return cv::Mat(rows, 3, CV_64F, const_cast<double *>(matrix));
}

// Shared by both warps: OpenCV inverts the matrix internally and, when it is singular, silently
// maps every pixel from one point; we make that an error.
template <class Warp>
void warp(cv_image *out, cv_image_view src, const cv::Mat &m, int32_t width, int32_t height,
          cv_interpolation interpolation, cv_border_mode border, cv_scalar border_value, Warp &&op) {
    cv::Mat s = borrow(src);
    require(width > 0 && height > 0, "target size must be positive");
    const int flags = interpolation_flag(interpolation);
    const int b = border_flag(border);
    cv::Mat d;
    op(s, d, m, cv::Size(width, height), flags, b, scalar(border_value));
    emit(out, d);
}

}  // namespace

extern "C" int cv_warp_affine(cv_image *out, cv_image_view src, const double *matrix,
                              int32_t matrix_count, int32_t width, int32_t height,
                              cv_interpolation interpolation, cv_border_mode border,
                              cv_scalar border_value, cv_error *err) {
    return guarded("warp_affine", err, [&](std::string &context) {
        require(out != nullptr, "out is NULL");
        *out = cv_image{};
        context = str(describe(src), " -> ", width, "x", height);
        cv::Mat m = matrix_arg(matrix, matrix_count, 2);
        const double det = matrix[0] * matrix[4] - matrix[1] * matrix[3];
        require(det != 0.0, "matrix is singular (its 2x2 part has determinant 0)");
        warp(out, src, m, width, height, interpolation, border, border_value,
             [](const cv::Mat &s, cv::Mat &d, const cv::Mat &m, cv::Size size, int flags, int b, cv::Scalar v) {
                 cv::warpAffine(s, d, m, size, flags, b, v);
             });
    });
}

extern "C" int cv_warp_perspective(cv_image *out, cv_image_view src, const double *matrix,
                                   int32_t matrix_count, int32_t width, int32_t height,
                                   cv_interpolation interpolation, cv_border_mode border,
                                   cv_scalar border_value, cv_error *err) {
    return guarded("warp_perspective", err, [&](std::string &context) {
        require(out != nullptr, "out is NULL");
        *out = cv_image{};
        context = str(describe(src), " -> ", width, "x", height);
        cv::Mat m = matrix_arg(matrix, matrix_count, 3);
        cv::Mat inverse;
        require(cv::invert(m, inverse, cv::DECOMP_LU) != 0, "matrix is singular");
        warp(out, src, m, width, height, interpolation, border, border_value,
             [](const cv::Mat &s, cv::Mat &d, const cv::Mat &m, cv::Size size, int flags, int b, cv::Scalar v) {
                 cv::warpPerspective(s, d, m, size, flags, b, v);
             });
    });
}

namespace {

// Copies the solved matrix out and rejects a degenerate solve: OpenCV's cv::solve returns zeros
// (and getPerspectiveTransform a lone 1 in the corner) when the points are collinear.
void emit_transform(double *out, const cv::Mat &m, int rows) {
    cv::Mat m64;
    m.convertTo(m64, CV_64F);
    for (int i = 0; i < rows * 3; ++i)
        require(std::isfinite(m64.at<double>(i / 3, i % 3)), "points are degenerate (non-finite solution)");
    const cv::Mat linear = m64(cv::Rect(0, 0, 2, 2));
    const double det = rows == 3 ? cv::determinant(m64) : cv::determinant(linear);
    require(det != 0.0, "points are degenerate (three or more collinear)");
    for (int i = 0; i < rows * 3; ++i) out[i] = m64.at<double>(i / 3, i % 3);
}

}  // namespace

extern "C" int cv_get_perspective_transform(double *out_matrix9, const cv_point2f *src, int32_t src_count,
                                            const cv_point2f *dst, int32_t dst_count, cv_error *err) {
    return guarded("get_perspective_transform", err, [&](std::string &context) {
        context = str(src_count, " -> ", dst_count, " points");
        require(out_matrix9 != nullptr, "out_matrix9 is NULL");
        require(src_count == 4 && dst_count == 4, "needs exactly 4 source and 4 destination points");
        const cv::Point2f *s = points2f(src, src_count, 4, "src");
        const cv::Point2f *d = points2f(dst, dst_count, 4, "dst");
        emit_transform(out_matrix9, cv::getPerspectiveTransform(s, d), 3);
    });
}

extern "C" int cv_get_affine_transform(double *out_matrix6, const cv_point2f *src, int32_t src_count,
                                       const cv_point2f *dst, int32_t dst_count, cv_error *err) {
    return guarded("get_affine_transform", err, [&](std::string &context) {
        context = str(src_count, " -> ", dst_count, " points");
        require(out_matrix6 != nullptr, "out_matrix6 is NULL");
        require(src_count == 3 && dst_count == 3, "needs exactly 3 source and 3 destination points");
        const cv::Point2f *s = points2f(src, src_count, 3, "src");
        const cv::Point2f *d = points2f(dst, dst_count, 3, "dst");
        emit_transform(out_matrix6, cv::getAffineTransform(s, d), 2);
    });
}
