// What training, evaluation and export share sits below the trainer; its users see it through OCRRun.
@_exported import OCREval
