// cclipper.cpp - the C boundary over Clipper (polygon offsetting). See include/cclipper.h.
#include "cclipper.h"

#include <polyclipping/clipper.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

namespace {

int report(ccl_error *err, const std::string &msg) noexcept {
    if (err != nullptr) {
        err->message = static_cast<char *>(std::malloc(msg.size() + 1));
        if (err->message) std::memcpy(err->message, msg.c_str(), msg.size() + 1);
    }
    return 1;
}

}  // namespace

extern "C" {

void ccl_error_free(ccl_error *err) {
    if (err == nullptr) return;
    std::free(err->message);
    err->message = nullptr;
}

void ccl_paths_free(ccl_paths *paths) {
    if (paths == nullptr) return;
    std::free(paths->xy);
    std::free(paths->counts);
    paths->xy = nullptr;
    paths->counts = nullptr;
    paths->count = 0;
}

int ccl_offset(const double *xy, size_t n, double delta, ccl_join join, double scale,
               ccl_paths *out, ccl_error *err) {
    if (out == nullptr) return report(err, "ccl_offset: out is NULL");
    *out = ccl_paths{nullptr, nullptr, 0};
    if (xy == nullptr || n < 3)
        return report(err, "ccl_offset: a polygon needs at least 3 points, got " + std::to_string(n));
    if (!(scale > 0) || !std::isfinite(scale) || !std::isfinite(delta))
        return report(err, "ccl_offset: scale must be > 0 and delta finite");
    try {
        ClipperLib::Path path;
        path.reserve(n);
        for (size_t i = 0; i < n; ++i) {
            double x = xy[2 * i] * scale, y = xy[2 * i + 1] * scale;
            if (!std::isfinite(x) || !std::isfinite(y) || std::fabs(x) > 4e15 || std::fabs(y) > 4e15)
                return report(err, "ccl_offset: point " + std::to_string(i) + " is not finite or out of range");
            path.push_back(ClipperLib::IntPoint(static_cast<ClipperLib::cInt>(std::llround(x)),
                                                static_cast<ClipperLib::cInt>(std::llround(y))));
        }
        ClipperLib::JoinType jt = join == CCL_JOIN_SQUARE ? ClipperLib::jtSquare
                                : join == CCL_JOIN_MITER  ? ClipperLib::jtMiter
                                                          : ClipperLib::jtRound;
        ClipperLib::ClipperOffset offset;
        offset.AddPath(path, jt, ClipperLib::etClosedPolygon);
        ClipperLib::Paths solution;
        offset.Execute(solution, delta * scale);

        size_t total = 0;
        for (const auto &p : solution) total += p.size();
        if (solution.empty()) return 0;
        out->xy = static_cast<double *>(std::malloc(sizeof(double) * 2 * (total > 0 ? total : 1)));
        out->counts = static_cast<size_t *>(std::malloc(sizeof(size_t) * solution.size()));
        if (out->xy == nullptr || out->counts == nullptr) {
            ccl_paths_free(out);
            return report(err, "ccl_offset: out of memory");
        }
        size_t k = 0;
        for (size_t i = 0; i < solution.size(); ++i) {
            out->counts[i] = solution[i].size();
            for (const auto &pt : solution[i]) {
                out->xy[k++] = static_cast<double>(pt.X) / scale;
                out->xy[k++] = static_cast<double>(pt.Y) / scale;
            }
        }
        out->count = solution.size();
        return 0;
    } catch (const std::exception &e) {
        ccl_paths_free(out);
        return report(err, std::string("ccl_offset: ") + e.what());
    } catch (...) {
        ccl_paths_free(out);
        return report(err, "ccl_offset: unknown C++ exception");
    }
}

}  // extern "C"
