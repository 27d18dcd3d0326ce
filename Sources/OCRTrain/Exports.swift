// The run config, checkpoints and evaluation: trainers and the executables see them through OCRTrain.
@_exported import OCRRun
