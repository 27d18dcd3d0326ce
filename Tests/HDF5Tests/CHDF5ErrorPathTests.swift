import CHDF5
import Foundation
import XCTest

/// Every status-returning C entry point, called with an invalid handle or argument: it must
/// return -1 with a message naming its operation, print nothing, and not abort.
final class CHDF5ErrorPathTests: XCTestCase {
    func testEveryEntryPointReportsErrors() throws {
        let bad = h5_object(id: 987_654_321)  // not a valid hid_t
        var file = h5_file(id: -1)
        var group = h5_group(id: -1)
        var ds = h5_dataset(id: -1)
        var list = h5_strings(items: nil, count: 0)
        var dtype = H5DTYPE_UNSUPPORTED, kind = H5KIND_OTHER
        var flag: Int32 = 0, rank: Int32 = 0
        var n: Int64 = 0, maxDim0: Int64 = 0
        var dims = [Int64](repeating: 0, count: Int(H5_MAX_RANK))
        var value: Double = 0
        let badDataset = h5_dataset(id: bad.id)
        let missing = NSTemporaryDirectory() + "chdf5-missing-\(UUID().uuidString)/x.h5"

        let calls: [(op: String, call: (UnsafeMutablePointer<h5_error>) -> Int32)] = [
            ("create file", { h5_file_create(missing, &file, $0) }),
            ("open file", { h5_file_open(missing, 0, &file, $0) }),
            ("flush file", { h5_file_flush(h5_file(id: bad.id), $0) }),
            ("close file", { h5_file_close(h5_file(id: bad.id), $0) }),
            ("open group", { h5_group_open(bad, "g", 0, &group, $0) }),
            ("create group", { h5_group_open(bad, "g", 1, &group, $0) }),
            ("check path", { h5_exists(bad, "g", &flag, $0) }),
            ("inspect", { h5_kind_of(bad, "g", &kind, $0) }),
            ("list members of", { h5_group_members(bad, &list, $0) }),
            ("create dataset", { h5_dataset_create(bad, "d", H5DTYPE_FLOAT32, 1, [4], nil, -1, 0, &ds, $0) }),
            ("open dataset", { h5_dataset_open(bad, "d", -1, &ds, $0) }),
            ("inspect dataset", { h5_dataset_info(badDataset, &dtype, &rank, &dims, &maxDim0, $0) }),
            ("inspect dataset", { h5_dataset_storage(badDataset, &flag, &dims, &rank, $0) }),
            ("write dataset", { h5_dataset_write(badDataset, H5DTYPE_FLOAT64, &value, 1, $0) }),
            ("read dataset", { h5_dataset_read(badDataset, H5DTYPE_FLOAT64, 0, -1, &value, 1, $0) }),
            ("read dataset", { h5_dataset_read_strings(badDataset, 0, -1, &list, $0) }),
            ("append to dataset", { h5_dataset_append(badDataset, H5DTYPE_FLOAT64, &value, 1, $0) }),
            ("write attribute 'a'", { h5_attr_write(bad, "a", H5DTYPE_FLOAT64, 0, 1, &value, $0) }),
            ("inspect attribute 'a'", { h5_attr_info(bad, "a", &dtype, &rank, &n, $0) }),
            ("read attribute 'a'", { h5_attr_read(bad, "a", H5DTYPE_FLOAT64, &value, 1, $0) }),
            ("read attribute 'a'", { h5_attr_read_strings(bad, "a", &list, $0) }),
            ("check attribute 'a'", { h5_attr_exists(bad, "a", &flag, $0) }),
            ("delete attribute 'a'", { h5_attr_delete(bad, "a", $0) }),
            ("list attributes of", { h5_attr_names(bad, &list, $0) }),
        ]
        let printed = capturingStderr {
            for (op, call) in calls {
                var err = h5_error(message: nil)
                let status = call(&err)
                let message = err.message.map { String(cString: $0) } ?? ""
                h5_error_free(&err)
                XCTAssertEqual(status, -1, op)
                XCTAssertTrue(message.hasPrefix(op), "\"\(message)\" should start with \"\(op)\"")
                XCTAssertNil(err.message, "h5_error_free clears the message")
            }
        }
        XCTAssertEqual(printed, "", "HDF5 must not print its error stack")
        XCTAssertEqual(list.count, 0)
        XCTAssertEqual(file.id, -1)
        XCTAssertEqual(ds.id, -1)
    }

    func testNullErrorAndNullSafeFrees() {
        var file = h5_file(id: -1)
        XCTAssertEqual(h5_file_open("/definitely/not/here.h5", 0, &file, nil), -1)  // err may be NULL
        h5_error_free(nil)
        h5_strings_free(nil)
        h5_group_close(h5_group(id: -1))
        h5_dataset_close(h5_dataset(id: 0))
        XCTAssertEqual(h5_file_close(h5_file(id: -1), nil), 0)  // "none" closes as a no-op
        XCTAssertEqual(String(cString: h5_dtype_name(H5DTYPE_UINT8)), "uint8")
        XCTAssertEqual(String(cString: h5_dtype_name(H5DTYPE_UNSUPPORTED)), "unsupported")
    }

    func testInvalidArgumentsAreRejectedBeforeHDF5SeesThem() throws {
        let path = NSTemporaryDirectory() + "chdf5-args-\(UUID().uuidString).h5"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var file = h5_file(id: -1)
        var err = h5_error(message: nil)
        XCTAssertEqual(h5_file_create(path, &file, &err), 0)
        defer { h5_file_close(file, nil) }
        let root = h5_file_object(file)
        var ds = h5_dataset(id: -1)
        let cases: [(String, (UnsafeMutablePointer<h5_error>) -> Int32)] = [
            ("rank 40", { h5_dataset_create(root, "a", H5DTYPE_INT32, 40, nil, nil, -1, 0, &ds, $0) }),
            ("negative dimension", { h5_dataset_create(root, "b", H5DTYPE_INT32, 1, [-3], nil, -1, 0, &ds, $0) }),
            ("need a chunk shape", { h5_dataset_create(root, "c", H5DTYPE_INT32, 1, [3], nil, 5, 0, &ds, $0) }),
            ("scalar dataset cannot be chunked", { h5_dataset_create(root, "d", H5DTYPE_INT32, 0, nil, [1], -1, 0, &ds, $0) }),
            ("invalid dtype", { h5_dataset_create(root, "e", H5DTYPE_UNSUPPORTED, 1, [3], nil, -1, 0, &ds, $0) }),
            ("rank 2", { h5_attr_write(root, "x", H5DTYPE_INT64, 2, 1, nil, $0) }),
        ]
        for (fragment, call) in cases {
            var e = h5_error(message: nil)
            XCTAssertEqual(call(&e), -1, fragment)
            let message = e.message.map { String(cString: $0) } ?? ""
            h5_error_free(&e)
            XCTAssertTrue(message.contains(fragment), "\"\(message)\" should contain \"\(fragment)\"")
            XCTAssertTrue(message.contains(path), "\"\(message)\" should name the file")
        }
        XCTAssertEqual(ds.id, -1)
    }
}

/// Runs `body` with file descriptor 2 redirected to a temporary file and returns what was written.
private func capturingStderr(_ body: () -> Void) -> String {
    let path = NSTemporaryDirectory() + "chdf5-stderr-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
    let saved = dup(2)
    guard fd >= 0, saved >= 0 else { return "could not redirect stderr" }
    dup2(fd, 2)
    body()
    dup2(saved, 2)
    close(saved)
    close(fd)
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}
