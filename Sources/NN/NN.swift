// NN: coming
