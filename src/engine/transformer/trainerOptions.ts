// What every transformer engine needs besides the shape: the seed of its initial weights (initParams)
// and its optimiser's settings (Adam, PyTorch's formula; weightDecay > 0 makes it AdamW).

export interface TransformerTrainerOptions {
  seed: number;
  lr: number;
  weightDecay: number;
}
