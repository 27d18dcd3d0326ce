import NN
import Torch
@testable import OCRModels

/// 36 characters + blank, as PaddleOCR's lowercase-alphanumeric English charset.
let englishClasses = 37

func crnn(_ h: Int = 32, _ w: Int = 320, classes: Int = englishClasses, modelName: String = "large") throws -> RecognitionModel {
    var arch = ArchitectureConfig.crnnMobileNetV3
    // small needs PaddleOCR's lite-config small_stride [1, 2, 2, 2] to keep a 32-pixel line 1 row high.
    let smallStride = modelName == "small" ? [1, 2, 2, 2] : [2, 2, 2, 2]
    arch.backbone = .mobileNetV3(MobileNetV3Config(modelName: modelName, scale: 0.5, smallStride: smallStride))
    return try RecognizerFactory.build(arch, classes: classes, inputShape: [3, h, w]) as! RecognitionModel
}

func svtrTiny(_ h: Int = 32, _ w: Int = 100, outCharNum: Int = 25, classes: Int = englishClasses) throws -> RecognitionModel {
    var arch = ArchitectureConfig.svtrTiny
    guard case .svtrNet(var b) = arch.backbone else { fatalError("svtrTiny preset is not SVTRNet") }
    b.outCharNum = outCharNum
    arch.backbone = .svtrNet(b)
    return try RecognizerFactory.build(arch, classes: classes, inputShape: [3, h, w]) as! RecognitionModel
}

func parameterCount(_ m: Module) -> Int { m.parameters().reduce(0) { $0 + $1.count } }
