// cvision_guard.hpp - private to CVision: the exception guard, argument checks and conversions
// between the C structs of cvision.h and OpenCV types. Not in include/, so Swift never sees C++.
#pragma once

#include "cvision.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>
#include <string>
#include <utility>

namespace cvision {

// A check that failed: thrown inside an entry point, turned into a status by `guarded`.
struct Failure {
    cv_status status;
    std::string message;
};

template <class... Parts>
std::string str(const Parts &...parts) {
    std::ostringstream o;
    (o << ... << parts);
    return o.str();
}

template <class... Parts>
[[noreturn]] void fail(cv_status status, const Parts &...parts) {
    throw Failure{status, str(parts...)};
}

template <class... Parts>
void require(bool ok, const Parts &...parts) {
    if (!ok) fail(CVI_E_ARGUMENT, parts...);
}

// Writes "op (context): detail" into err. noexcept: it runs inside catch handlers, where a second
// exception would terminate the process; if even the message cannot be allocated it stays NULL.
inline int report(cv_error *err, cv_status status, const char *op, const std::string &context,
                  const char *detail) noexcept {
    if (err == nullptr) return status;
    try {
        std::string msg = op;
        if (!context.empty()) msg += " (" + context + ")";
        msg += ": ";
        msg += detail;
        err->message = static_cast<char *>(std::malloc(msg.size() + 1));
        if (err->message) std::memcpy(err->message, msg.c_str(), msg.size() + 1);
    } catch (...) {
        err->message = nullptr;
    }
    return status;
}

// Runs one entry point's body. The body may set `context` (sizes, paths) as soon as it knows
// them, so every message - ours or OpenCV's - says what the call was working on.
// No exception of any kind leaves this function.
template <class Body>
int guarded(const char *op, cv_error *err, Body &&body) noexcept {
    if (err) err->message = nullptr;
    std::string context;
    try {
        body(context);
        return CVI_OK;
    } catch (const Failure &f) {
        return report(err, f.status, op, context, f.message.c_str());
    } catch (const cv::Exception &e) {
        // e.err is OpenCV's own sentence; e.what() adds file/line noise.
        return report(err, CVI_E_OPENCV, op, context, ("OpenCV: " + e.err).c_str());
    } catch (const std::bad_alloc &) {
        return report(err, CVI_E_MEMORY, op, context, "out of memory");
    } catch (const std::exception &e) {
        return report(err, CVI_E_INTERNAL, op, context, e.what());
    } catch (...) {
        return report(err, CVI_E_INTERNAL, op, context, "unknown exception");
    }
}

// "640x480 3ch" - OpenCV's width-first order.
inline std::string describe(int32_t width, int32_t height, int32_t channels) {
    return str(width, "x", height, " ", channels, "ch");
}
inline std::string describe(const cv_image_view &v) { return describe(v.width, v.height, v.channels); }
inline std::string describe(const cv_image_mut &v) { return describe(v.width, v.height, v.channels); }

// Wraps a borrowed buffer without copying. OpenCV takes non-const data; inputs are never written.
inline cv::Mat borrow(const uint8_t *data, int32_t height, int32_t width, int32_t channels,
                      const char *what) {
    require(data != nullptr, what, " data is NULL");
    require(width > 0 && height > 0, what, " size must be positive, got ", width, "x", height);
    require(channels >= 1 && channels <= 4, what, " must have 1..4 channels, got ", channels);
    size_t bytes = 0;
    require(!__builtin_mul_overflow(size_t(width) * size_t(height), size_t(channels), &bytes),
            what, " is too large");
    return cv::Mat(height, width, CV_8UC(channels), const_cast<uint8_t *>(data));
}
inline cv::Mat borrow(const cv_image_view &v, const char *what = "source image") {
    return borrow(v.data, v.height, v.width, v.channels, what);
}
inline cv::Mat borrow(const cv_image_mut &v, const char *what = "map") {
    return borrow(v.data, v.height, v.width, v.channels, what);
}

// Copies an 8-bit Mat into a malloc'd buffer the caller owns. One copy keeps ownership simple:
// the Mat's refcounted storage never crosses the boundary.
inline void emit(cv_image *out, const cv::Mat &m) {
    if (m.depth() != CV_8U || m.channels() < 1 || m.channels() > 4)
        fail(CVI_E_INTERNAL, "result has depth ", m.depth(), " and ", m.channels(), " channels, expected 8-bit 1..4");
    const size_t row = size_t(m.cols) * size_t(m.elemSize());
    auto *data = static_cast<uint8_t *>(std::malloc(row * size_t(m.rows)));
    if (!data) throw std::bad_alloc();
    for (int r = 0; r < m.rows; ++r) std::memcpy(data + size_t(r) * row, m.ptr(r), row);
    *out = cv_image{data, int32_t(m.rows), int32_t(m.cols), int32_t(m.channels())};
}

inline int interpolation_flag(cv_interpolation i) {
    switch (i) {
        case CVI_INTER_NEAREST: return cv::INTER_NEAREST;
        case CVI_INTER_LINEAR: return cv::INTER_LINEAR;
        case CVI_INTER_CUBIC: return cv::INTER_CUBIC;
        case CVI_INTER_AREA: return cv::INTER_AREA;
        case CVI_INTER_LANCZOS4: return cv::INTER_LANCZOS4;
    }
    fail(CVI_E_ARGUMENT, "unknown interpolation ", int(i));
}

inline int border_flag(cv_border_mode b) {
    switch (b) {
        case CVI_BORDER_CONSTANT: return cv::BORDER_CONSTANT;
        case CVI_BORDER_REPLICATE: return cv::BORDER_REPLICATE;
        case CVI_BORDER_REFLECT: return cv::BORDER_REFLECT;
        case CVI_BORDER_REFLECT101: return cv::BORDER_REFLECT_101;
        case CVI_BORDER_WRAP: return cv::BORDER_WRAP;
    }
    fail(CVI_E_ARGUMENT, "unknown border mode ", int(b));
}

inline cv::Scalar scalar(const cv_scalar &s) { return cv::Scalar(s.v[0], s.v[1], s.v[2], s.v[3]); }

// Float points from the caller: NaN would make OpenCV's sorts (convex hull) undefined behaviour.
inline const cv::Point2f *points2f(const cv_point2f *points, int32_t count, int32_t minimum,
                                   const char *what = "points") {
    require(count >= minimum, "needs at least ", minimum, " ", what, ", got ", count);
    require(count == 0 || points != nullptr, what, " is NULL with count ", count);
    for (int32_t i = 0; i < count; ++i)
        require(std::isfinite(points[i].x) && std::isfinite(points[i].y), what, "[", i,
                "] is not finite (", points[i].x, ", ", points[i].y, ")");
    static_assert(sizeof(cv_point2f) == sizeof(cv::Point2f), "cv_point2f must match cv::Point2f");
    return reinterpret_cast<const cv::Point2f *>(points);
}

}  // namespace cvision
