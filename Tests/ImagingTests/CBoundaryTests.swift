import CVision
import XCTest

/// The C entry points' error paths that the Swift API cannot reach (NULL pointers, unknown enum
/// values, channel counts an `Image` never has): each returns a status with a message, never
/// crashes, and leaves its out-parameters empty.
final class CBoundaryTests: XCTestCase {
    private let pixels = [UInt8](repeating: 100, count: 4 * 3 * 3)

    /// Runs `body` with a 4x3 3-channel view of `pixels`.
    private func withView<R>(channels: Int32 = 3, _ body: (cv_image_view) -> R) -> R {
        pixels.withUnsafeBufferPointer { body(cv_image_view(data: $0.baseAddress, height: 3, width: 4, channels: channels)) }
    }

    /// Asserts a call failed with `status` and a message containing the fragments; frees it.
    private func assertFails(_ status: cv_status, _ fragments: String..., file: StaticString = #filePath,
                             line: UInt = #line, _ call: (inout cv_error) -> Int32) {
        var err = cv_error()
        let got = call(&err)
        XCTAssertEqual(got, Int32(status.rawValue), file: file, line: line)
        let message = err.message.map { String(cString: $0) } ?? ""
        for f in fragments {
            XCTAssertTrue(message.contains(f), "'\(message)' lacks '\(f)'", file: file, line: line)
        }
        cv_error_free(&err)
        XCTAssertNil(err.message, file: file, line: line)
    }

    func testFreeFunctionsAreNullSafeAndIdempotent() {
        cv_error_free(nil)
        cv_image_free(nil)
        cv_bytes_free(nil)
        cv_contours_free(nil)
        var image = cv_image()
        var err = cv_error()
        XCTAssertEqual(withView { cv_resize(&image, $0, 2, 2, CVI_INTER_LINEAR, &err) }, 0)
        XCTAssertNotNil(image.data)
        cv_image_free(&image)
        XCTAssertNil(image.data)
        cv_image_free(&image)
        cv_error_free(&err)
        cv_error_free(&err)
    }

    func testErrorPointerMayBeNull() {
        var out = cv_image()
        XCTAssertEqual(withView { cv_resize(&out, $0, 0, 0, CVI_INTER_LINEAR, nil) }, Int32(CVI_E_ARGUMENT.rawValue))
        XCTAssertNil(out.data)
    }

    func testDecodeErrorPaths() {
        var out = cv_image()
        assertFails(CVI_E_ARGUMENT, "decode", "data is NULL with size 5") { cv_decode(&out, nil, 5, CVI_DECODE_BGR, &$0) }
        let bytes: [UInt8] = [1, 2, 3]
        assertFails(CVI_E_ARGUMENT, "unknown decode mode 9") {
            cv_decode(&out, bytes, 3, cv_decode_mode(rawValue: 9), &$0)
        }
        assertFails(CVI_E_ARGUMENT, "out is NULL") { cv_decode(nil, bytes, 3, CVI_DECODE_BGR, &$0) }
        assertFails(CVI_E_ARGUMENT, "decode_file", "path is NULL") { cv_decode_file(&out, nil, CVI_DECODE_BGR, &$0) }
        XCTAssertNil(out.data)
    }

    func testEncodeErrorPaths() {
        var out = cv_bytes()
        assertFails(CVI_E_ARGUMENT, "encode", "unknown format 7") {
            err in withView { cv_encode(&out, $0, cv_format(rawValue: 7), 90, &err) }
        }
        assertFails(CVI_E_ARGUMENT, "encode", "4x3 2ch", "2 channels") {
            err in withView(channels: 2) { cv_encode(&out, $0, CVI_FORMAT_PNG, 0, &err) }
        }
        assertFails(CVI_E_ARGUMENT, "source image data is NULL") {
            cv_encode(&out, cv_image_view(data: nil, height: 3, width: 4, channels: 3), CVI_FORMAT_PNG, 0, &$0)
        }
        XCTAssertNil(out.data)
    }

    func testPixelOperationErrorPaths() {
        var out = cv_image()
        assertFails(CVI_E_ARGUMENT, "resize", "unknown interpolation 99") {
            err in withView { cv_resize(&out, $0, 2, 2, cv_interpolation(rawValue: 99), &err) }
        }
        assertFails(CVI_E_ARGUMENT, "resize", "4x3 5ch", "1..4 channels, got 5") {
            err in withView(channels: 5) { cv_resize(&out, $0, 2, 2, CVI_INTER_LINEAR, &err) }
        }
        assertFails(CVI_E_ARGUMENT, "resize", "size must be positive, got -4x3") {
            cv_resize(&out, cv_image_view(data: [1], height: 3, width: -4, channels: 1), 2, 2, CVI_INTER_LINEAR, &$0)
        }
        assertFails(CVI_E_ARGUMENT, "color_convert", "reads 1 channels, image has 3") {
            err in withView { cv_color_convert(&out, $0, CVI_COLOR_GRAY2BGR, &err) }
        }
        assertFails(CVI_E_ARGUMENT, "unknown colour conversion 40") {
            err in withView { cv_color_convert(&out, $0, cv_color_conversion(rawValue: 40), &err) }
        }
        assertFails(CVI_E_ARGUMENT, "gaussian_blur", "unknown border mode 12") {
            err in withView { cv_gaussian_blur(&out, $0, 3, 3, 1, 1, cv_border_mode(rawValue: 12), &err) }
        }
        XCTAssertNil(out.data)
    }

    func testWarpErrorPaths() {
        var out = cv_image()
        let identity: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        let zero = cv_scalar()
        assertFails(CVI_E_ARGUMENT, "warp_affine", "matrix is NULL") {
            err in withView { cv_warp_affine(&out, $0, nil, 6, 4, 3, CVI_INTER_LINEAR, CVI_BORDER_CONSTANT, zero, &err) }
        }
        assertFails(CVI_E_ARGUMENT, "warp_perspective", "unknown border mode 8") {
            err in withView {
                cv_warp_perspective(&out, $0, identity, 9, 4, 3, CVI_INTER_LINEAR, cv_border_mode(rawValue: 8), zero, &err)
            }
        }
        var matrix = [Double](repeating: 0, count: 9)
        let square = [cv_point2f(x: 0, y: 0), cv_point2f(x: 1, y: 0), cv_point2f(x: 1, y: 1), cv_point2f(x: 0, y: 1)]
        assertFails(CVI_E_ARGUMENT, "get_perspective_transform", "out_matrix9 is NULL") {
            cv_get_perspective_transform(nil, square, 4, square, 4, &$0)
        }
        assertFails(CVI_E_ARGUMENT, "get_affine_transform", "src is NULL") {
            cv_get_affine_transform(&matrix, nil, 3, square, 3, &$0)
        }
        XCTAssertNil(out.data)
    }

    func testGeometryErrorPaths() {
        var contours = cv_contours()
        assertFails(CVI_E_ARGUMENT, "find_contours", "unknown contour mode 6") {
            err in withView(channels: 1) { cv_find_contours(&contours, $0, cv_contour_mode(rawValue: 6), CVI_CHAIN_APPROX_SIMPLE, &err) }
        }
        assertFails(CVI_E_ARGUMENT, "find_contours", "unknown contour method 3") {
            err in withView(channels: 1) { cv_find_contours(&contours, $0, CVI_RETR_LIST, cv_contour_method(rawValue: 3), &err) }
        }
        XCTAssertNil(contours.points)
        var value = 0.0
        assertFails(CVI_E_ARGUMENT, "contour_area", "points is NULL with count 3") { cv_contour_area(&value, nil, 3, 0, &$0) }
        assertFails(CVI_E_ARGUMENT, "arc_length", "out_length is NULL") {
            cv_arc_length(nil, [cv_point2f(x: 0, y: 0)], 1, 0, &$0)
        }
        assertFails(CVI_E_ARGUMENT, "min_area_rect", "out is NULL") {
            cv_min_area_rect(nil, [cv_point2f(x: 0, y: 0)], 1, &$0)
        }
        assertFails(CVI_E_ARGUMENT, "box_points", "out_points4 is NULL") { cv_box_points(nil, cv_rotated_rect(), &$0) }
    }

    func testDrawingErrorPaths() {
        var map = [UInt8](repeating: 0, count: 16)
        let points = [cv_point2i(x: 0, y: 0), cv_point2i(x: 3, y: 0), cv_point2i(x: 3, y: 3)]
        let lengths: [Int32] = [3]
        map.withUnsafeMutableBufferPointer { buffer in
            let view = cv_image_mut(data: buffer.baseAddress, height: 4, width: 4, channels: 1)
            assertFails(CVI_E_ARGUMENT, "fill_poly", "4x4 1ch", "points or lengths is NULL") {
                cv_fill_poly(view, points, nil, 1, cv_scalar(), CVI_LINE_8, &$0)
            }
            assertFails(CVI_E_ARGUMENT, "fill_poly", "polygon count must be >= 0, got -1") {
                cv_fill_poly(view, points, lengths, -1, cv_scalar(), CVI_LINE_8, &$0)
            }
            assertFails(CVI_E_ARGUMENT, "fill_poly", "unknown line type 5") {
                cv_fill_poly(view, points, lengths, 1, cv_scalar(), cv_line_type(rawValue: 5), &$0)
            }
            assertFails(CVI_E_ARGUMENT, "polylines", "map data is NULL") {
                cv_polylines(cv_image_mut(data: nil, height: 4, width: 4, channels: 1), points, lengths, 1, 1,
                             cv_scalar(), 1, CVI_LINE_8, &$0)
            }
        }
        XCTAssertEqual(map, [UInt8](repeating: 0, count: 16), "failed calls draw nothing")
    }
}
