// cvision_geometry.cpp - contours, polygon measures, rotated rectangles and polygon drawing:
// what a DB text detector needs to turn a probability map into boxes (and to draw its labels).
#include "cvision_guard.hpp"

#include <opencv2/imgproc.hpp>

#include <vector>

using namespace cvision;

extern "C" void cv_contours_free(cv_contours *contours) {
    if (!contours) return;
    std::free(contours->points);
    std::free(contours->lengths);
    *contours = cv_contours{};
}

namespace {

int retrieval_mode(cv_contour_mode m) {
    switch (m) {
        case CVI_RETR_EXTERNAL: return cv::RETR_EXTERNAL;
        case CVI_RETR_LIST: return cv::RETR_LIST;
        case CVI_RETR_CCOMP: return cv::RETR_CCOMP;
        case CVI_RETR_TREE: return cv::RETR_TREE;
    }
    fail(CVI_E_ARGUMENT, "unknown contour mode ", int(m));
}

int approximation(cv_contour_method m) {
    switch (m) {
        case CVI_CHAIN_APPROX_NONE: return cv::CHAIN_APPROX_NONE;
        case CVI_CHAIN_APPROX_SIMPLE: return cv::CHAIN_APPROX_SIMPLE;
    }
    fail(CVI_E_ARGUMENT, "unknown contour method ", int(m));
}

int line_flag(cv_line_type t) {
    switch (t) {
        case CVI_LINE_4: return cv::LINE_4;
        case CVI_LINE_8: return cv::LINE_8;
        case CVI_LINE_AA: return cv::LINE_AA;
    }
    fail(CVI_E_ARGUMENT, "unknown line type ", int(t));
}

// The packed polygons of cv_fill_poly / cv_polylines as the pointer arrays OpenCV's C-style
// overloads take (no copy of the points).
struct PolygonArgs {
    std::vector<const cv::Point *> starts;
    std::vector<int> lengths;
};

PolygonArgs polygon_args(const cv_point2i *points, const int32_t *lengths, int32_t count) {
    static_assert(sizeof(cv_point2i) == sizeof(cv::Point), "cv_point2i must match cv::Point");
    require(count >= 0, "polygon count must be >= 0, got ", count);
    require(count == 0 || (points != nullptr && lengths != nullptr), "points or lengths is NULL with count ", count);
    PolygonArgs args;
    args.starts.reserve(size_t(count));
    args.lengths.reserve(size_t(count));
    const auto *p = reinterpret_cast<const cv::Point *>(points);
    for (int32_t i = 0; i < count; ++i) {
        require(lengths[i] >= 1, "polygon ", i, " has ", lengths[i], " points, needs >= 1");
        args.starts.push_back(p);
        args.lengths.push_back(lengths[i]);
        p += lengths[i];
    }
    return args;
}

}  // namespace

extern "C" int cv_find_contours(cv_contours *out, cv_image_view map, cv_contour_mode mode,
                                cv_contour_method method, cv_error *err) {
    return guarded("find_contours", err, [&](std::string &context) {
        require(out != nullptr, "out is NULL");
        *out = cv_contours{};
        context = describe(map);
        cv::Mat m = borrow(map, "map");
        require(m.channels() == 1, "map must have 1 channel, got ", m.channels());
        const int r = retrieval_mode(mode), a = approximation(method);
        // OpenCV >= 3.2 copies the input, so the borrowed map really is left untouched.
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(m, contours, r, a);

        size_t total = 0;
        for (const auto &c : contours) total += c.size();
        cv_contours result{};
        result.count = int32_t(contours.size());
        // malloc(0) may return NULL; ask for at least one element so NULL always means failure.
        result.points = static_cast<cv_point2i *>(std::malloc(std::max<size_t>(total, 1) * sizeof(cv_point2i)));
        result.lengths = static_cast<int32_t *>(std::malloc(std::max<size_t>(contours.size(), 1) * sizeof(int32_t)));
        if (!result.points || !result.lengths) {
            cv_contours_free(&result);
            throw std::bad_alloc();
        }
        size_t k = 0;
        for (size_t i = 0; i < contours.size(); ++i) {
            result.lengths[i] = int32_t(contours[i].size());
            for (const cv::Point &p : contours[i]) result.points[k++] = cv_point2i{p.x, p.y};
        }
        *out = result;
    });
}

extern "C" int cv_contour_area(double *out_area, const cv_point2f *points, int32_t count, int oriented,
                               cv_error *err) {
    return guarded("contour_area", err, [&](std::string &context) {
        context = str(count, " points");
        require(out_area != nullptr, "out_area is NULL");
        const cv::Point2f *p = points2f(points, count, 1);
        *out_area = cv::contourArea(cv::Mat(count, 1, CV_32FC2, const_cast<cv::Point2f *>(p)), oriented != 0);
    });
}

extern "C" int cv_arc_length(double *out_length, const cv_point2f *points, int32_t count, int closed,
                             cv_error *err) {
    return guarded("arc_length", err, [&](std::string &context) {
        context = str(count, " points");
        require(out_length != nullptr, "out_length is NULL");
        const cv::Point2f *p = points2f(points, count, 1);
        *out_length = cv::arcLength(cv::Mat(count, 1, CV_32FC2, const_cast<cv::Point2f *>(p)), closed != 0);
    });
}

extern "C" int cv_min_area_rect(cv_rotated_rect *out, const cv_point2f *points, int32_t count, cv_error *err) {
    return guarded("min_area_rect", err, [&](std::string &context) {
        context = str(count, " points");
        require(out != nullptr, "out is NULL");
        const cv::Point2f *p = points2f(points, count, 1);
        const cv::RotatedRect r = cv::minAreaRect(cv::Mat(count, 1, CV_32FC2, const_cast<cv::Point2f *>(p)));
        *out = cv_rotated_rect{{r.center.x, r.center.y}, r.size.width, r.size.height, r.angle};
    });
}

extern "C" int cv_box_points(cv_point2f *out_points4, cv_rotated_rect rect, cv_error *err) {
    return guarded("box_points", err, [&](std::string &context) {
        context = str("center (", rect.center.x, ", ", rect.center.y, "), size ", rect.width, "x", rect.height,
                      ", angle ", rect.angle);
        require(out_points4 != nullptr, "out_points4 is NULL");
        require(std::isfinite(rect.center.x) && std::isfinite(rect.center.y) && std::isfinite(rect.width) &&
                    std::isfinite(rect.height) && std::isfinite(rect.angle),
                "rect has non-finite values");
        require(rect.width >= 0 && rect.height >= 0, "rect size must be >= 0");
        cv::Point2f corners[4];
        cv::RotatedRect({rect.center.x, rect.center.y}, {rect.width, rect.height}, rect.angle).points(corners);
        for (int i = 0; i < 4; ++i) out_points4[i] = cv_point2f{corners[i].x, corners[i].y};
    });
}

extern "C" int cv_fill_poly(cv_image_mut map, const cv_point2i *points, const int32_t *lengths, int32_t count,
                            cv_scalar value, cv_line_type line_type, cv_error *err) {
    return guarded("fill_poly", err, [&](std::string &context) {
        context = str(describe(map), ", ", count, " polygons");
        cv::Mat m = borrow(map, "map");
        const int line = line_flag(line_type);
        PolygonArgs args = polygon_args(points, lengths, count);
        if (count == 0) return;
        cv::fillPoly(m, args.starts.data(), args.lengths.data(), count, scalar(value), line);
    });
}

extern "C" int cv_polylines(cv_image_mut map, const cv_point2i *points, const int32_t *lengths, int32_t count,
                            int closed, cv_scalar value, int32_t thickness, cv_line_type line_type,
                            cv_error *err) {
    return guarded("polylines", err, [&](std::string &context) {
        context = str(describe(map), ", ", count, " polygons, thickness ", thickness);
        cv::Mat m = borrow(map, "map");
        const int line = line_flag(line_type);
        // OpenCV asserts thickness <= 32767 (its MAX_THICKNESS).
        require(thickness >= 1 && thickness <= 32767, "thickness must be 1...32767");
        PolygonArgs args = polygon_args(points, lengths, count);
        if (count == 0) return;
        cv::polylines(m, args.starts.data(), args.lengths.data(), count, closed != 0, scalar(value), thickness,
                      line);
    });
}
