"""Handwritten digits: a real data set, trained on the tensor engine to ≥ 96% test accuracy.

scikit-learn ships 1,797 handwritten digits as 8×8 grey images (no download). Each image
is a row x ∈ R⁶⁴; the network is the notes' two-layer fully connected net with a softmax
output (CS229 notes 000 and 003):

    a[1] = ReLU(W[1] x + b[1]),  ŷ = softmax(W[2] a[1] + b[2]),
    J = (1/m) Σᵢ −log ŷ(i)_{y(i)} + (λ/2) Σ W²,

trained with Adam steps on mini-batches that partition the training set anew each epoch
(the course-club notes' (001) scheme, the one `nn.fit` uses; Algorithm 2 of the CS229
notes draws a fresh batch each step instead: see ``python -m demos.sgd``). The demo
holds out 30% of the images as a test set, touched once at the end, and a fifth of the
rest as a validation set, watched during training. It reports two training accuracies:
``nn.fit``'s running one (the mean over an epoch's batches, each scored with the weights of
that moment, so it lags behind) and the whole training set scored after the epoch. It
draws the confusion matrix on the test set (row: the true digit, column: the network's
answer) and some digits it got wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import nn

from ._common import Result, equation, out_dir, parse_args, pyplot, save_figure, section, title
from ._plots import figure, loss_curves

LAMBDA = 3e-3


def load() -> tuple[np.ndarray, np.ndarray]:
    """The 8×8 digits as rows of 64 pixels in [0, 1], and their labels 0..9."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            'the digits come with scikit-learn: pip install -e ".[demos]" '
            "(or pip install scikit-learn)"
        ) from None
    digits = load_digits()
    return digits.data / 16.0, digits.target


def confusion(y_true: np.ndarray, y_pred: np.ndarray, k: int = 10) -> np.ndarray:
    """C[i, j] = how many digits i the network called j."""
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def plot_confusion(C: np.ndarray, X: np.ndarray, y: np.ndarray, pred: np.ndarray) -> Any:
    """The confusion matrix, and up to 10 test digits the network got wrong."""
    plt = pyplot()
    fig = plt.figure(figsize=(11, 5))
    ax = fig.add_subplot(1, 2, 1)
    im = ax.imshow(C, cmap="Blues")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="number of test images")
    for i in range(C.shape[0]):
        for j in range(C.shape[1]):
            if C[i, j]:
                color = "white" if C[i, j] > C.max() / 2 else "black"
                ax.text(j, i, str(C[i, j]), ha="center", va="center", color=color, fontsize=8)
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(f"confusion matrix, test set: {np.trace(C)} of {C.sum()} right")
    wrong = np.flatnonzero(pred != y)[:10]
    if len(wrong):
        fig.text(0.75, 0.93, "digits it got wrong (true → answer)", ha="center", fontsize=11)
    for n, i in enumerate(wrong):
        sub = fig.add_subplot(2, 10, 6 + n + 5 * (n // 5))  # a 2 × 5 block on the right half
        sub.imshow(X[i].reshape(8, 8), cmap="gray_r")
        sub.set_title(f"{y[i]} → {pred[i]}", fontsize=9)
        sub.axis("off")
    return fig


def main(argv: Sequence[str] | None = None) -> Result:
    """Train, validate and test; returns the test accuracy, the confusion matrix, the history."""
    args = parse_args("digits", __doc__, argv)
    out = out_dir(args.out)
    epochs = 8 if args.fast else 20
    title("Handwritten digits on the tensor engine")
    X, y = load()
    X_rest, X_test, y_rest, y_test = nn.data.train_test_split(X, y, test_size=0.3, rng=args.seed)
    X_train, X_val, y_train, y_val = nn.data.train_test_split(
        X_rest, y_rest, test_size=0.2, rng=args.seed
    )
    # Standardise with the training set's statistics only (validation and test stay unseen).
    mean, scale = X_train.mean(axis=0), X_train.std(axis=0) + 0.1
    A_train, A_val, A_test = ((A - mean) / scale for A in (X_train, X_val, X_test))
    equation("images: 8×8 pixels → x ∈ R⁶⁴, classes", 10)
    equation(
        "training / validation / test examples", f"{len(y_train)} / {len(y_val)} / {len(y_test)}"
    )

    model = nn.MLP(64, [128, 10], engine="tensor", rng=args.seed)
    opt = nn.optim.Adam(model.parameters(), lr=3e-3)

    def J(logits: Any, labels: np.ndarray) -> Any:
        return nn.losses.cross_entropy(logits, labels) + nn.losses.l2_penalty(model, LAMBDA)

    section(f"Training: MLP(64, [128, 10]), Adam α = 0.003, batches of 32, {epochs} epochs")
    equation("a[1] = ReLU(W[1] x + b[1]),  ŷ = softmax(W[2] a[1] + b[2])")
    equation(f"J = mean −log ŷ_y + (λ/2)ΣW²,  λ = {LAMBDA:g}")
    history: dict[str, list[float]] = {
        k: [] for k in ("loss", "accuracy", "train_accuracy", "val_accuracy")
    }
    rng = np.random.default_rng(args.seed)
    for _ in range(epochs):  # one epoch per call, to score the whole training set after each
        h = nn.fit(
            model,
            A_train,
            y_train,
            J,
            opt,
            epochs=1,
            batch_size=32,
            rng=rng,
            metrics=["accuracy"],
            validation_data=(A_val, y_val),
            progress=False,
        )
        history["loss"].append(h["loss"][0])
        history["accuracy"].append(h["accuracy"][0])
        history["val_accuracy"].append(h["val_accuracy"][0])
        history["train_accuracy"].append(nn.accuracy(nn.predict(model, A_train), y_train))
    print("  train (running): the mean over the epoch's batches, each scored by the network")
    print("  of that moment; train (after): the whole training set, scored after the epoch.")
    for e in sorted({0, epochs // 2, epochs - 1}):
        print(
            f"  epoch {e + 1:>3}:  J = {history['loss'][e]:.4f}   "
            f"train (running) {history['accuracy'][e]:.1%}   "
            f"train (after) {history['train_accuracy'][e]:.1%}   "
            f"validation {history['val_accuracy'][e]:.1%}"
        )
    pred = nn.predict(model, A_test).argmax(axis=1)
    accuracy = float(np.mean(pred == y_test))
    C = confusion(y_test, pred)
    section("Result")
    equation("test accuracy (images never trained on, looked at once)", f"{accuracy:.1%}")
    pairs = [(C[i, j], i, j) for i in range(10) for j in range(10) if i != j and C[i, j]]
    n, i, j = max(pairs, default=(0, 0, 0))
    if n > 1:
        equation("most frequent mistake", f"{i} read as {j} ({n}×)")

    files: list = []
    save_figure(plot_confusion(C, X_test, y_test, pred), out / "digits_confusion.png", files)
    fig, axes = figure(2)
    loss_curves(
        axes[0, 0],
        {"train J (running)": history["loss"]},
        xlabel="epoch",
        ylabel="J (cross-entropy + decay)",
        title="loss",
    )
    curves = {
        "train (running)": history["accuracy"],
        "train (after the epoch)": history["train_accuracy"],
        "validation": history["val_accuracy"],
    }
    loss_curves(axes[0, 1], curves, xlabel="epoch", ylabel="accuracy", title="accuracy")
    save_figure(fig, out / "digits_training.png", files)
    return {"test_accuracy": accuracy, "confusion": C, "history": history, "files": files}


if __name__ == "__main__":
    main()
