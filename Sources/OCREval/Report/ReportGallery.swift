/// The samples a report shows with their images (the worst lines, the most confidently wrong
/// classifications): one caption value per column beside each image. The HTML page embeds the
/// images; the terminal, Markdown and JSON carry the captions.
public struct ReportGallery: Sendable {
    public struct Column: Sendable {
        /// Shown as the column's heading ("edits").
        public var name: String
        /// The key in report.json ("edit_distance").
        public var key: String
        public init(_ name: String, key: String? = nil) {
            self.name = name
            self.key = key ?? name
        }
    }

    public struct Entry: Sendable {
        /// nil when the pixels were not kept.
        public var image: ReportImage?
        /// One per column, in column order.
        public var captions: [ReportValue]
        public init(image: ReportImage?, captions: [ReportValue]) {
            self.image = image
            self.captions = captions
        }
    }

    /// The heading ("Worst lines").
    public var title: String
    /// The key of the entry list in report.json ("worst").
    public var key: String
    public var columns: [Column]
    public var entries: [Entry]
    /// Height of each image on the HTML page in CSS pixels; nil keeps the line-sized default
    /// (48). Whole pages (detection) need more.
    public var imageHeight: Int?

    public init(title: String, key: String, columns: [Column], entries: [Entry]) {
        self.title = title
        self.key = key
        self.columns = columns
        self.entries = entries
    }
}
