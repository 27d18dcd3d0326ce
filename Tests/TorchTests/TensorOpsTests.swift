import XCTest
@testable import Torch

/// Creation, conversion, shape ops and arithmetic on hand-derived values.
final class TensorOpsTests: XCTestCase {
    func testCreationAndHostRoundTrip() throws {
        let t = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(t.dtype, .float32)
        XCTAssertEqual(try t.toArray(Float.self), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try t.toArray(Int64.self), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try Tensor.zeros([2, 2]).toArray(Float.self), [0, 0, 0, 0])
        XCTAssertEqual(try Tensor.ones([3], dtype: .int64).toArray(Int64.self), [1, 1, 1])
        XCTAssertEqual(try Tensor.full([2], value: 2.5).toArray(Double.self), [2.5, 2.5])
        XCTAssertEqual(try Tensor.arange(0, 5).toArray(Float.self), [0, 1, 2, 3, 4])
        XCTAssertEqual(try Tensor([UInt8(7), 255]).to(.float32).toArray(Float.self), [7, 255])
        XCTAssertEqual(try Tensor(scalar: 3).item(), 3)
        let bf = try t.to(.bfloat16)
        XCTAssertEqual(bf.dtype, .bfloat16)
        XCTAssertEqual(try bf.toArray(Float.self), [1, 2, 3, 4, 5, 6])
        let r = try Tensor.randn([1000])
        XCTAssertEqual(try r.mean().item(), 0, accuracy: 0.15)
        let u = try Tensor.rand([1000])
        XCTAssertGreaterThanOrEqual(try u.min().item(), 0)
        XCTAssertLessThan(try u.max().item(), 1)
        let ri = try Tensor.randint(3, 5, [100]).toArray(Int64.self)
        XCTAssertTrue(ri.allSatisfy { $0 == 3 || $0 == 4 })
    }

    func testShapeOps() throws {
        let t = try Tensor.arange(0, 24).reshape([2, 3, 4])
        XCTAssertEqual(try t.permute([2, 0, 1]).shape, [4, 2, 3])
        XCTAssertEqual(try t.transpose(0, 2).contiguous().toArray(Float.self).prefix(3), [0, 12, 4])
        XCTAssertEqual(try t.narrow(2, start: 1, length: 2).toArray(Float.self).prefix(4), [1, 2, 5, 6])
        XCTAssertEqual(try t.slice(1, 0, 3, step: 2).shape, [2, 2, 4])
        XCTAssertEqual(try t.slice(2, -1, 4).toArray(Float.self), [3, 7, 11, 15, 19, 23])
        XCTAssertEqual(try Tensor.cat([t, t], dim: 1).shape, [2, 6, 4])
        XCTAssertEqual(try Tensor.stack([t, t], dim: 0).shape, [2, 2, 3, 4])
        XCTAssertEqual(try t.indexSelect(1, Tensor([2, 0] as [Int64])).toArray(Float.self).prefix(8), [8, 9, 10, 11, 0, 1, 2, 3])
        XCTAssertEqual(try t.unsqueeze(1).shape, [2, 1, 3, 4])
        XCTAssertEqual(try t.unsqueeze(1).squeeze(1).shape, [2, 3, 4])
        XCTAssertEqual(try Tensor.zeros([1, 3, 1]).squeeze().shape, [3])
        XCTAssertEqual(try Tensor([1, 2] as [Float], shape: [2, 1]).expand([2, 3]).toArray(Float.self), [1, 1, 1, 2, 2, 2])
        XCTAssertEqual(try t.flatten(1).shape, [2, 12])
        let g = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2]).gather(1, Tensor([1, 1, 0, 1] as [Int64], shape: [2, 2]))
        XCTAssertEqual(try g.toArray(Float.self), [2, 2, 3, 4])
        let small = try Tensor([1, 2, 3] as [Float], shape: [1, 3])
        XCTAssertEqual(try small.pad([1, 2], mode: .constant(9)).toArray(Float.self), [9, 1, 2, 3, 9, 9])
        XCTAssertEqual(try small.unsqueeze(0).pad([2, 1], mode: .reflect).toArray(Float.self), [3, 2, 1, 2, 3, 2])
        XCTAssertEqual(try small.unsqueeze(0).pad([1, 1], mode: .replicate).toArray(Float.self), [1, 1, 2, 3, 3])
        let cond = try Tensor([true, false, true])
        XCTAssertEqual(try Tensor.where(cond, Tensor([1, 2, 3] as [Float]), Tensor([7, 8, 9] as [Float])).toArray(Float.self), [1, 8, 3])
        let cl = try Tensor.randn([2, 3, 4, 5]).channelsLast()
        XCTAssertTrue(cl.isContiguous(channelsLast: true))
        XCTAssertFalse(cl.isContiguous())
    }

    func testArithmeticBroadcastingAndComparisons() throws {
        let a = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        let row = try Tensor([10, 20] as [Float], shape: [1, 2])
        XCTAssertEqual(try (a + row).toArray(Float.self), [11, 22, 13, 24])
        XCTAssertEqual(try (a - row).toArray(Float.self), [-9, -18, -7, -16])
        XCTAssertEqual(try (a * row).toArray(Float.self), [10, 40, 30, 80])
        XCTAssertEqual(try (row / a).toArray(Float.self), [10, 10, 10 / 3, 5])
        XCTAssertEqual(try (a * 2 + 1).toArray(Float.self), [3, 5, 7, 9])
        XCTAssertEqual(try (1 - a).toArray(Float.self), [0, -1, -2, -3])
        XCTAssertEqual(try (12 / a).toArray(Float.self), [12, 6, 4, 3])
        XCTAssertEqual(try (-a).toArray(Float.self), [-1, -2, -3, -4])
        XCTAssertEqual(try a.apply(.pow, 2).toArray(Float.self), [1, 4, 9, 16])
        XCTAssertEqual(try a.apply(.maximum, try Tensor(scalar: 2.5)).toArray(Float.self), [2.5, 2.5, 3, 4])
        XCTAssertEqual(try a.apply(.gt, 2).toArray(Bool.self), [false, false, true, true])
        XCTAssertEqual(try a.apply(.eq, a).toArray(Bool.self), [true, true, true, true])
        XCTAssertEqual(try a.clamp(min: 2, max: 3).toArray(Float.self), [2, 2, 3, 3])
        XCTAssertEqual(try Tensor([-2, 3] as [Float]).leakyRelu(0.5).toArray(Float.self), [-1, 3])
        XCTAssertEqual(try a.sqrt().apply(.square).toArray(Float.self)[3], 4, accuracy: 1e-6)
        XCTAssertEqual(try a.reduce(.prod).item(), 24)
        XCTAssertEqual(try a.max(dims: [0, 1]).item(), 4)
        let (v, i) = try a.max(dim: 0)
        XCTAssertEqual(try v.toArray(Float.self), [3, 4])
        XCTAssertEqual(try i.toArray(Int64.self), [1, 1])
        XCTAssertEqual(try a.sum(dims: [1], keepDim: true).shape, [2, 1])
        let b = try Tensor.arange(0, 8).reshape([2, 2, 2])
        XCTAssertEqual(try b.bmm(b).toArray(Float.self), [2, 3, 6, 11, 46, 55, 66, 79])
        // in-place updates (EMA) do not touch autograd
        let p = try Tensor([1, 1] as [Float]).requiresGrad(true)
        try p.update(.mul, 0.5)
        try p.update(.add, try Tensor([1, 2] as [Float]))
        XCTAssertEqual(try p.toArray(Float.self), [1.5, 2.5])
    }

    func testSeedsAndGeneratorState() throws {
        Torch.seed(7)
        let a = try Tensor.randn([5]).toArray(Float.self)
        Torch.seed(7)
        XCTAssertEqual(try Tensor.randn([5]).toArray(Float.self), a)
        let state = try Torch.rngState()
        let b = try Tensor.rand([4]).toArray(Float.self)
        try Torch.setRNGState(state)
        XCTAssertEqual(try Tensor.rand([4]).toArray(Float.self), b)
        let before = Torch.threads
        Torch.threads = 1
        XCTAssertEqual(Torch.threads, 1)
        Torch.threads = before
    }
}
