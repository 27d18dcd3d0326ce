import Foundation

/// The image bytes in a request body, or a `ServeError` (400) naming what was wrong. Decoding the
/// bytes into a page is `PageImage.decode`'s (the header's size checked against the limit before
/// any pixel is allocated), as for `ocr predict`.
enum RequestImages {
    /// PaddleOCR's `{"images": ["<base64>", ...]}`: one byte string per image, in order.
    static func paddle(_ body: [UInt8], maxImages: Int) throws -> [Data] {
        guard !body.isEmpty else { throw ServeError.badRequest("invalid_json", #"empty body: expected {"images": ["<base64>", ...]}"#) }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw ServeError.badRequest("invalid_json", "body is not valid JSON (\(Self.short(error)))")
        }
        guard let object = json as? [String: Any] else {
            throw ServeError.badRequest("invalid_json", #"body must be a JSON object {"images": ["<base64>", ...]}"#)
        }
        guard let value = object["images"] else {
            let keys = object.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw ServeError.badRequest("missing_images", "missing key 'images' (a list of base64 strings)" + (keys.isEmpty ? "" : "; got \(keys)"))
        }
        guard let list = value as? [Any] else { throw ServeError.badRequest("missing_images", "'images' must be a list of base64 strings") }
        guard !list.isEmpty else { throw ServeError.badRequest("empty_images", "'images' is an empty list: send at least one image") }
        guard list.count <= maxImages else {
            throw ServeError.badRequest("too_many_images", "'images' has \(list.count) images, at most \(maxImages) per request (max_images)")
        }
        return try list.enumerated().map { i, item in
            guard let text = item as? String else { throw ServeError.badRequest("invalid_base64", "images[\(i)]: not a string") }
            // PaddleOCR's client sends standard base64 with padding; line breaks are tolerated.
            guard let data = Data(base64Encoded: text.filter { !$0.isNewline }), !data.isEmpty else {
                throw ServeError.badRequest("invalid_base64", "images[\(i)]: invalid base64")
            }
            return data
        }
    }

    /// `/ocr`: the body is the image file itself, or a multipart/form-data body whose part named
    /// `file` or `image` (else its first part with a file name, else its first part) is.
    static func single(_ body: [UInt8], contentType: String?) throws -> Data {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            guard !body.isEmpty else { throw ServeError.badRequest("empty_body", "empty body: send the image file's bytes") }
            return Data(body)
        }
        guard let boundary = parameter("boundary", in: contentType) else {
            throw ServeError.badRequest("invalid_multipart", "multipart/form-data without a boundary parameter")
        }
        let parts = multipartParts(body, boundary: boundary)
        guard !parts.isEmpty else { throw ServeError.badRequest("invalid_multipart", "multipart body has no parts (boundary '\(boundary)')") }
        let part = parts.first { ["file", "image"].contains($0.name) } ?? parts.first { $0.hasFileName } ?? parts[0]
        guard !part.body.isEmpty else { throw ServeError.badRequest("empty_body", "multipart part '\(part.name ?? "?")' is empty") }
        return Data(part.body)
    }

    struct Part {
        var name: String?
        var hasFileName: Bool
        var body: ArraySlice<UInt8>
    }

    /// The parts between `--boundary` lines (RFC 7578), each split at its blank line into headers and body.
    static func multipartParts(_ body: [UInt8], boundary: String) -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        var starts = [Int]()
        var i = 0
        while let found = find(delimiter, in: body, from: i) {
            starts.append(found)
            i = found + delimiter.count
        }
        var parts = [Part]()
        for (a, b) in zip(starts, starts.dropFirst()) {
            var from = a + delimiter.count
            // The delimiter line ends with CRLF; the part's body ends with the CRLF before the next one.
            if from + 1 < body.count, body[from] == 13, body[from + 1] == 10 { from += 2 }
            var to = b
            if to - 2 >= from, body[to - 2] == 13, body[to - 1] == 10 { to -= 2 }
            let slice = body[from..<to]
            guard let blank = find([13, 10, 13, 10], in: body, from: from), blank < to else { continue }
            let headers = String(decoding: body[from..<blank], as: UTF8.self)
            let disposition = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-disposition:") }.map(String.init) ?? ""
            parts.append(Part(name: parameter("name", in: disposition), hasFileName: parameter("filename", in: disposition) != nil,
                              body: slice[(blank + 4)...]))
        }
        return parts
    }

    /// `key=value` or `key="value"` in a header value's `;`-separated parameters.
    static func parameter(_ key: String, in header: String) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let kv = item.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            return kv[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] && haystack[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The first line of an error's description (Foundation's JSON errors run long).
    static func short(_ error: Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return String(text.prefix(200))
    }
}
