import COnnxRuntime
import XCTest

/// The error path of each COnnxRuntime entry point: a status, a message naming the operation, empty
/// out-parameters, and frees that are safe on empty handles.
final class CBoundaryTests: XCTestCase {
    let model = Fixtures.path("matmul_softmax.onnx")

    /// Runs `body`, returns its status and message (freed here).
    func call(_ body: (inout ox_error) -> Int32) -> (status: ox_status, message: String) {
        var err = ox_error()
        let status = body(&err)
        defer { ox_error_free(&err) }
        return (ox_status(rawValue: UInt32(status)), err.message.map { String(cString: $0) } ?? "")
    }

    func open() throws -> ox_session {
        var s = ox_session()
        let r = call { ox_session_open(&s, model, ox_session_options(intra_op_threads: 1, inter_op_threads: 1,
                                                                     optimization: OX_OPTIMIZE_ALL, allow_spinning: 0), &$0) }
        XCTAssertEqual(r.status, OX_OK, r.message)
        return s
    }

    func testOpenErrors() {
        var s = ox_session()
        var r = call { ox_session_open(&s, nil, ox_session_options(), &$0) }
        XCTAssertEqual(r.status, OX_E_ARGUMENT)
        XCTAssertEqual(r.message, "session_open: NULL argument")
        r = call { ox_session_open(&s, model, ox_session_options(intra_op_threads: 0, inter_op_threads: 0,
                                                                 optimization: ox_optimization(rawValue: 7), allow_spinning: 0), &$0) }
        XCTAssertEqual(r.status, OX_E_ARGUMENT)
        XCTAssertEqual(r.message, "session_open(\(model)): unknown optimisation level 7")
        r = call { ox_session_open(&s, "/nonexistent/model.onnx", ox_session_options(), &$0) }
        XCTAssertEqual(r.status, OX_E_NO_SUCH_FILE, r.message)
        XCTAssertTrue(r.message.contains("/nonexistent/model.onnx"), r.message)
        XCTAssertNil(s.ptr)
        ox_session_free(&s)   // NULL-safe
        ox_session_free(nil)
    }

    func testIOInfoAndMetadataErrors() throws {
        var s = try open()
        defer { ox_session_free(&s) }
        var info = ox_io_info()
        var r = call { ox_session_io_info(s, 0, 5, &info, &$0) }
        XCTAssertEqual(r.status, OX_E_ARGUMENT)
        XCTAssertEqual(r.message, "session_io_info: input 5 of 1")
        XCTAssertNil(info.name)
        ox_io_info_free(&info)
        var count = 7
        r = call { ox_session_io_count(ox_session(), 1, &count, &$0) }
        XCTAssertEqual(r.status, OX_E_ARGUMENT)
        XCTAssertEqual(count, 0)
        var m = ox_metadata()
        r = call { ox_session_metadata(ox_session(), &m, &$0) }
        XCTAssertEqual(r.message, "session_metadata: NULL argument")
        ox_metadata_free(&m)
        ox_metadata_free(nil)
    }

    func testRunErrors() throws {
        var s = try open()
        defer { ox_session_free(&s) }
        var out = [ox_value(), ox_value()]
        let names: [UnsafePointer<CChar>?] = [UnsafePointer(strdup("p"))]
        let x = UnsafePointer(strdup("x"))
        defer { free(UnsafeMutablePointer(mutating: names[0])); free(UnsafeMutablePointer(mutating: x)) }
        let data: [Float] = [1, 2, 3, 4]
        var r = call { ox_session_run(s, nil, 0, names, 0, &out, &$0) }
        XCTAssertEqual(r.message, "session_run: no outputs requested")
        // Negative dimension: refused before ONNX Runtime sees it.
        let negative: [Int64] = [-1, 3]
        r = data.withUnsafeBufferPointer { d in
            negative.withUnsafeBufferPointer { dims in
                var input = ox_float_input(name: x, data: d.baseAddress, dims: dims.baseAddress, rank: 2)
                return call { ox_session_run(s, &input, 1, names, 1, &out, &$0) }
            }
        }
        XCTAssertEqual(r.status, OX_E_ARGUMENT)
        XCTAssertEqual(r.message, "session_run: input 'x' has negative dimension -1")
        // A shape ONNX Runtime refuses (the Swift layer checks this first; the C layer passes its message on).
        let wrong: [Int64] = [1, 4]
        r = data.withUnsafeBufferPointer { d in
            wrong.withUnsafeBufferPointer { dims in
                var input = ox_float_input(name: x, data: d.baseAddress, dims: dims.baseAddress, rank: 2)
                return call { ox_session_run(s, &input, 1, names, 1, &out, &$0) }
            }
        }
        XCTAssertEqual(r.status, OX_E_INVALID_INPUT, r.message)
        XCTAssertTrue(r.message.hasPrefix("Run: "), r.message)
        XCTAssertNil(out[0].ptr)
        var view = ox_tensor_view()
        r = call { ox_value_view(ox_value(), &view, &$0) }
        XCTAssertEqual(r.message, "value_view: NULL argument")
        ox_value_free(&out[0])
        ox_value_free(nil)
    }
}
