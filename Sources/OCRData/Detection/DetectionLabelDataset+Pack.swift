import Foundation
import HDF5
import OCRCore

extension DetectionLabelDataset {
    /// Writes every usable record - the image file's bytes as they are, and its regions - to a
    /// new pack at `path` (atomically). With `verify`, each page is decoded and its points
    /// checked first; a bad one is reported in the returned report and left out (`skip`) or
    /// stops the pack with its `file:line` (`fail`, nothing written). Returns the pages written.
    public func pack(to path: String, createdBy: String = "ocr data pack", verify: Bool = true) throws -> (pages: Int, report: DataReport) {
        var written = 0
        try H5File.writeAtomically(to: path) { file in
            let writer = try PackedPageWriter(file: file, createdBy: createdBy)
            for record in records {
                let issue: DataIssue?
                var bytes = [UInt8]()
                switch LabelFileDataset.readImageFile(record.resolvedPath) {
                case .success(let data):
                    bytes = [UInt8](data)
                    if verify, case .failure(let i) = Self.loadPage(record, options) { issue = i } else { issue = nil }
                case .failure(let problem):
                    issue = DataIssue(file: record.label.file, line: record.label.line, category: problem.category,
                                      message: "image '\(record.label.imagePath)' (\(record.resolvedPath)): \(problem.message)",
                                      imagePath: record.label.imagePath)
                }
                if let issue {
                    if options.policy == .fail { throw DataError(issue: issue, hint: "issue policy is 'fail'; fix or remove the line, or use 'skip'") }
                    collector.add(issue, fileIndex: record.fileIndex)
                    continue
                }
                try writer.append(imageBytes: bytes, regions: record.label.regions, source: record.source)
            }
            try writer.finish()
            written = writer.count
        }
        return (written, report)
    }
}
