// swift-tools-version:6.0
// OCRKit: train, evaluate, export and serve OCR models locally. Layers: see docs/DESIGN.md / README.md.
import Foundation
import PackageDescription

// LibTorch: Debian's libtorch-dev by default; LIBTORCH=/path selects an official distribution
// (its include/ and lib/). scripts/check-deps.sh checks the version before a build starts.
let libtorch = Context.environment["LIBTORCH"]
let torchInclude = libtorch.map { ["\($0)/include", "\($0)/include/torch/csrc/api/include"] }
    ?? ["/usr/include/torch/csrc/api/include"]
let torchLib = libtorch.map { ["-L\($0)/lib", "-Xlinker", "-rpath", "-Xlinker", "\($0)/lib"] } ?? []
// A CUDA LibTorch (it has lib/libtorch_cuda.so): link torch_cuda and c10_cuda as well, and compile
// ct_dist.cpp's NCCL process group (USE_C10D_NCCL). Its headers need the CUDA toolkit's and NCCL's:
// CUDA_HOME (default /usr/local/cuda) and NCCL_HOME when NCCL lives elsewhere. scripts/gpu-check.sh.
let torchCUDA = libtorch.map { FileManager.default.fileExists(atPath: "\($0)/lib/libtorch_cuda.so") } ?? false
let cudaHome = Context.environment["CUDA_HOME"] ?? "/usr/local/cuda"
let cudaFlags = torchCUDA ? ["-DUSE_C10D_NCCL", "-isystem", "\(cudaHome)/include"]
    + (Context.environment["NCCL_HOME"].map { ["-isystem", "\($0)/include"] } ?? []) : []
// --no-as-needed: torch_cuda registers the CUDA kernels when it loads; a linker dropping it for
// want of referenced symbols would leave every op on a GPU tensor without a kernel.
let cudaLibs: [LinkerSetting] = torchCUDA
    ? [.unsafeFlags(["-Xlinker", "--no-as-needed"]), .linkedLibrary("torch_cuda"), .linkedLibrary("c10_cuda")] : []

// ONNX Runtime: .deps/onnxruntime from scripts/setup.sh, or ORT_HOME=/path.
let ortHome = Context.environment["ORT_HOME"] ?? "\(Context.packageDirectory)/.deps/onnxruntime"

let cxxOpt: [CXXSetting] = [.unsafeFlags(["-O2", "-fno-omit-frame-pointer"])]
let swiftOpt: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-O2"])]

let package = Package(
    name: "OCRKit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ocr", targets: ["ocr"]),
        .executable(name: "ocr-train", targets: ["ocr-train"]),
        .executable(name: "ocr-eval", targets: ["ocr-eval"]),
        .executable(name: "ocr-export", targets: ["ocr-export"]),
        .executable(name: "ocr-bench", targets: ["ocr-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // `ocr serve`: HTTP server, metrics API, Prometheus text exposition.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // --- C/C++ boundary (pure C headers) ------------------------------------------------
        .target(
            name: "CTorch",
            cxxSettings: cxxOpt + [.unsafeFlags(torchInclude.flatMap { ["-isystem", $0] } + ["-std=c++17"] + cudaFlags)],
            linkerSettings: [
                .unsafeFlags(torchLib),
                .linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10"),
            ] + cudaLibs),
        .target(
            name: "CVision",
            cxxSettings: cxxOpt + [.unsafeFlags(["-isystem", "/usr/include/opencv4", "-std=c++17"])],
            linkerSettings: [
                .linkedLibrary("opencv_core"), .linkedLibrary("opencv_imgproc"), .linkedLibrary("opencv_imgcodecs"),
            ]),
        .target(
            name: "CHDF5",
            cSettings: [.unsafeFlags(["-isystem", "/usr/include/hdf5/serial"])],
            linkerSettings: [
                .unsafeFlags(["-L/usr/lib/x86_64-linux-gnu/hdf5/serial"]),
                .linkedLibrary("hdf5"),
            ]),

        .target(
            name: "COnnxRuntime",
            cSettings: [.unsafeFlags(["-isystem", "\(ortHome)/include", "-O2"])],
            linkerSettings: [
                .unsafeFlags(["-L\(ortHome)/lib", "-Xlinker", "-rpath", "-Xlinker", "\(ortHome)/lib"]),
                .linkedLibrary("onnxruntime"),
            ]),
        // Clipper (libpolyclipping-dev): polygon offsetting for DB's label shrink and unclip.
        .target(
            name: "CClipper",
            cxxSettings: cxxOpt + [.unsafeFlags(["-std=c++17"])],
            linkerSettings: [.linkedLibrary("polyclipping")]),
        .target(
            name: "CFont",
            cSettings: [.unsafeFlags(["-isystem", "/usr/include/freetype2", "-isystem", "/usr/include/harfbuzz"])],
            linkerSettings: [.linkedLibrary("freetype"), .linkedLibrary("harfbuzz")]),

        // --- Pure Swift core (no LibTorch) ---------------------------------------------------
        .target(name: "OCRCore", dependencies: ["CClipper", .product(name: "Yams", package: "Yams")]),
        .target(name: "Imaging", dependencies: ["CVision"]),
        // Resize/normalise shared by training and inference: no LibTorch, HDF5 or FreeType.
        .target(name: "OCRPreprocess", dependencies: ["OCRCore", "Imaging"]),
        .target(name: "HDF5", dependencies: ["CHDF5"]),

        // --- Tensors and layers ---------------------------------------------------------------
        .target(name: "Torch", dependencies: ["CTorch"], swiftSettings: swiftOpt),
        .target(name: "NN", dependencies: ["Torch", "HDF5"]),

        // --- OCR: data and models ----------------------------------------------------------------
        .target(name: "OCRData", dependencies: ["OCRPreprocess", "OCRCore", "Imaging", "HDF5", "CFont"]),
        .target(name: "OCRModels", dependencies: ["NN"]),

        // --- Inference and evaluation: ONNX Runtime, no LibTorch ---------------------------------
        // DB box extraction from a probability map: shared by det training's evaluation and inference.
        .target(name: "OCRPostprocess", dependencies: ["OCRCore", "Imaging"]),
        .target(name: "OCRInference", dependencies: ["COnnxRuntime", "OCRCore", "Imaging", "OCRPreprocess", "OCRPostprocess"]),
        // Scoring, report writers, ONNX-model evaluation, run events.
        .target(name: "OCREval", dependencies: ["OCRData", "OCRInference", "OCRPostprocess", "OCRCore", "Imaging"]),

        // --- Below the trainer: run config, checkpoints, models built from a config ---------------
        .target(name: "OCRRun", dependencies: ["OCREval", "OCRPostprocess", "OCRModels", "OCRData", "NN", "Torch", "OCRCore", "HDF5"]),
        // Imports PaddleOCR's ONNX models (weights in Constant nodes) into OCRModels' modules.
        .target(name: "OCRImport", dependencies: ["OCRRun", "OCRModels", "NN", "Torch", "OCRCore", "HDF5"]),
        // One engine for every task (rec, cls, det).
        .target(name: "OCRTrain", dependencies: ["OCRImport", "OCRRun", "OCREval", "OCRPostprocess", "OCRModels", "OCRData", "NN", "Torch", "OCRCore", "HDF5"]),

        // --- Export: the ONNX writer walks the Swift module tree; parity checks run the result
        // through OCRInference's session (OCRInference never imports OCRExport or LibTorch).
        .target(name: "OCRExport", dependencies: ["OCRRun", "OCRModels", "OCRData", "OCRCore", "OCRInference", "OCREval", "Imaging", "NN", "Torch"]),

        // The OCR service behind `ocr serve`: PaddleOCR's routes, /ocr, health, metrics, hot reload,
        // cross-request batching of recognition. LibTorch-free, like everything `ocr` links.
        .target(name: "OCRServe", dependencies: ["OCRInference", "OCRCore", "Imaging",
                                                 .product(name: "Hummingbird", package: "hummingbird"),
                                                 .product(name: "Metrics", package: "swift-metrics"),
                                                 .product(name: "Prometheus", package: "swift-prometheus")]),

        // Shared by the executables, LibTorch-free: option groups, progress printer.
        .target(name: "OCRCLI", dependencies: ["OCREval", "OCRInference", "OCRPreprocess", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // --- Executables ----------------------------------------------------------------------
        // `ocr` links no LibTorch (make test checks its dynamic dependencies).
        .executableTarget(
            name: "ocr",
            dependencies: ["OCRCore", "OCRData", "OCRCLI", "OCRInference", "OCREval", "Imaging", "OCRServe",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "ocr-train",
            dependencies: ["OCRCLI", "OCRTrain", "OCRImport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "ocr-export",
            dependencies: ["OCRCLI", "OCRExport", "OCRRun", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "ocr-eval",
            dependencies: ["OCRCLI", "OCRRun", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "ocr-bench",
            dependencies: ["Torch", "NN", "OCRCore", "OCRData", "OCRModels", "OCRTrain", "OCRExport", "OCRCLI", "OCRInference", "OCRServe",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The bench's reference: the same training step written directly in C++ against LibTorch.
        .executableTarget(
            name: "torch-bench-ref",
            cxxSettings: cxxOpt + [.unsafeFlags(torchInclude.flatMap { ["-isystem", $0] } + ["-std=c++17"])],
            linkerSettings: [
                .unsafeFlags(torchLib),
                .linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10"),
            ]),

        // --- Tests ------------------------------------------------------------------------------
        // Runs scripts with the test venv's Python (scripts/test-venv.sh): shared by the tests that
        // check against a Python reference.
        .target(name: "VenvPython", path: "Tests/VenvPython"),
        .testTarget(name: "OCRCoreTests", dependencies: ["OCRCore"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "CVision"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "CHDF5"]),
        .testTarget(name: "TorchTests", dependencies: ["Torch"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NNTests", dependencies: ["NN"]),
        .testTarget(name: "OCRPostprocessTests", dependencies: ["OCRPostprocess", "OCRCore", "Imaging"], resources: [.copy("Fixtures")]),
        .testTarget(name: "OCRDataTests", dependencies: ["OCRData", "OCRPreprocess"]),
        .testTarget(name: "OCRModelsTests", dependencies: ["OCRModels"]),
        .testTarget(name: "OCRTrainTests", dependencies: ["OCRTrain"]),
        // Python/: onnxruntime's reference logits (the venv of scripts/test-venv.sh).
        .testTarget(name: "OCRImportTests", dependencies: ["OCRImport", "OCRTrain", "OCRRun", "OCRInference", "OCRExport", "OCRData", "Imaging"],
                    exclude: ["Python"]),
        .testTarget(name: "OCRCLITests", dependencies: ["OCRCLI", "OCREval", "OCRPostprocess", "OCRTrain", "OCRCore", "Imaging"]),
        // Python/: RapidOCR, the reference page pipeline (the venv of scripts/test-venv.sh).
        .testTarget(name: "OCRInferenceTests", dependencies: ["OCRInference", "COnnxRuntime", "OCRData", "Imaging", "OCRCore", "VenvPython"],
                    exclude: ["Python"], resources: [.copy("Fixtures")]),
        // Python/: the independent checker (onnx + onnxruntime from scripts/test-venv.sh).
        // Starts the real server in-process on free ports with PP-OCRv4's models from .deps/models.
        // (Its HTTP client is OCRServe's HTTPConnection: HummingbirdTesting would build BoringSSL.)
        // Python/: the page at GET / in headless chromium (Selenium from scripts/test-venv.sh).
        .testTarget(name: "OCRServeTests", dependencies: ["OCRServe", "OCRInference", "OCRData", "OCRCore", "Imaging", "VenvPython"],
                    exclude: ["Python"]),
        .testTarget(name: "OCRExportTests", dependencies: ["OCRExport", "OCRInference", "OCRRun", "OCRTrain"], exclude: ["Python"]),
    ],
    cxxLanguageStandard: .cxx17
)
