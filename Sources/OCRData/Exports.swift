// Preprocessing (RecResize) lives in the LibTorch-, HDF5- and FreeType-free OCRPreprocess so the
// inference side can share it; data code sees it through OCRData as before.
@_exported import OCRPreprocess
