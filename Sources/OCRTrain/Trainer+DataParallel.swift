import OCRRun

extension Trainer {
    /// Runs a part of the loop that holds collectives (the engine's, and with `Global.sync_bn` the
    /// model's own). When a peer rank is lost, rank 0 writes latest.h5 (the state is whole there:
    /// see `DataParallelError`) before the error goes on, so the run resumes from the last step
    /// every rank finished.
    func savingIfPeerLost<R>(_ events: (TrainEvent) -> Void, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch {
            guard let lost = DataParallelError(peerLost: error) else { throw error }
            try? saveCheckpoint(runDir + "/latest.h5", reason: "a peer rank was lost at step \(progress.step)", events: events)
            throw lost
        }
    }
}
