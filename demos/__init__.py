"""Teaching demos: the lecture notes, runnable, with pictures.

``python -m demos`` is the tour; ``python -m demos.<name>`` runs one demo. Every demo takes
``--out DIR`` (where its pictures go), ``--fast`` (a smaller run) and ``--seed N``, prints
the notes' equations next to the numbers, and has a ``main(argv) -> dict`` returning what
it claims.
"""

from __future__ import annotations

#: Every demo, in teaching order, with what it teaches.
DEMOS: dict[str, str] = {
    "chain_rule": "one neuron's graph with every gradient, and the chain rule by hand",
    "backprop_by_hand": "the notes' δ recipe in numpy next to the engine's z.grad and W.grad",
    "conventions": "001's own form: C = ‖a − y‖², the recursion on ∂C/∂a, the dropped 1/N",
    "logistic": "logistic regression as a one-layer sigmoid net: gradient = closed form",
    "housing": "the notes' single ReLU neuron and two-layer network for house prices",
    "xor": "why a hidden layer and a non-linearity are needed (linear layers collapse)",
    "symmetry": "symmetry breaking: hidden units started at 0 stay equal, random ones split",
    "ufldl": "UFLDL's batch gradient descent as written (ΔW accumulated), and λ's effect",
    "moons": "micrograd's 2-16-16-1 classifier on both engines, to 100% training accuracy",
    "vectorization": "loops against matrices: the scalar engine against the tensor engine",
    "gradient_check": "gradcheck against central differences, and a wrong custom op it catches",
    "theorem31": "Theorem 3.1: the gradient costs O(N), measured from 10³ to 10⁶ nodes",
    "replay": "vectorising is the chain rule on whole levels: a recorded step replayed",
    "sgd": "Algorithm 1 (SGD), Algorithm 2 (mini-batch) and batch GD: per example, per second",
    "optimizers": "SGD, momentum, AdaGrad, the normalised step and Adam on one problem",
    "digits": "handwritten 8×8 digits on the tensor engine, ≥ 96% test accuracy",
}
