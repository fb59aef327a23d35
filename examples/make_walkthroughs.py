"""Write the walkthrough notebooks: seeds_walkthrough.ipynb (Spanish) and seeds_walkthrough_en.ipynb.

The two are twins: the same code cells, the prose in each language, so they are written from one
list here and never edited by hand. This script writes the sources only;
`CNNCALC_REFRESH_NOTEBOOKS=1 pytest tests/test_notebook.py` executes them and stores their outputs
(and without the variable the test fails when a stored output no longer matches a fresh run).

    python examples/make_walkthroughs.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTEBOOKS = {"es": HERE / "seeds_walkthrough.ipynb", "en": HERE / "seeds_walkthrough_en.ipynb"}

SETUP = '''import os
import subprocess
import sys

import numpy as np

import cnncalc
from cnncalc.i18n import use

LANGUAGE = "{locale}"
use(LANGUAGE)  # what cnncalc shows in this notebook (tables, workings) is in its language too


def cli(*args):
    """Run `cnncalc ARGS` as in a terminal whose language is LANGUAGE, and show what it prints."""
    # the kernel sets colours; a locale variable other than LANG would override LANGUAGE
    ignored = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "FORCE_COLOR", "CLICOLOR_FORCE")
    env = {{k: v for k, v in os.environ.items() if k not in ignored}}
    env.update(LANG=LANGUAGE, COLUMNS="100", PYTHONIOENCODING="utf-8", NO_COLOR="1", TERM="dumb")
    done = subprocess.run([sys.executable, "-m", "cnncalc", *args], capture_output=True, text=True, env=env)
    print(done.stdout + done.stderr, end="")'''

# (Spanish prose, English prose, code or None): the notes' examples in their order.
CELLS: list[tuple[str, str, str | None]] = [
    (
        """# Los ejemplos de los apuntes, uno por uno, con cnncalc

Este cuaderno reproduce cada ejemplo numérico de los cinco apuntes del curso, en su orden y con
sus propios números: tamaños de salida, parámetros, campos receptivos, convoluciones y *pooling*
a mano, retropropagación. Cada celda comprueba su resultado con la aritmética de los apuntes,
escrita en la celda, así que el cuaderno es también una prueba: `tests/test_notebook.py` lo
ejecuta entero y compara sus salidas guardadas. Donde los apuntes se equivocan, se dice.

Los apuntes no están en este repositorio; se citan por título y sección:

- **000** — *Redes Neuronales Convolucionales (CNNs)*, V. E. Arriola-Rios, Facultad de Ciencias, UNAM (2024).
- **001** — *Redes Convolutivas*, Módulo 7 – Fundamentos de Deep Learning (Kibernum).
- **002** — *Redes Neuronales Convolucionales Profundas*, Taller de Aprendizaje Automático,
  Facultad de Ingeniería, Universidad de la República.
- **003** — *Redes convolucionales avanzadas I*, Visión por Computador, U-tad (2024).
- **004** — *Tema 6 – Redes de Neuronas Convolucionales*, Aprendizaje Automático II, Universidad Rey Juan Carlos.

`cli(...)` ejecuta la orden `cnncalc` como en una terminal en español (`LANG=es_ES.UTF-8`).""",
        """# The lecture notes' examples, one by one, with cnncalc

This notebook reproduces every numeric example of the course's five lecture notes, in their order
and with their own numbers: output sizes, parameters, receptive fields, convolution and pooling by
hand, backpropagation. Each cell checks its result against the notes' arithmetic, written in the
cell, so the notebook is also a test: `tests/test_notebook.py` runs it top to bottom and compares
its stored outputs. Where the notes err, it says so. (The Spanish original is
`seeds_walkthrough.ipynb`.)

The notes are not in this repository; they are cited by title and section:

- **000** — *Redes Neuronales Convolucionales (CNNs)*, V. E. Arriola-Rios, Facultad de Ciencias, UNAM (2024).
- **001** — *Redes Convolutivas*, Módulo 7 – Fundamentos de Deep Learning (Kibernum).
- **002** — *Redes Neuronales Convolucionales Profundas*, Taller de Aprendizaje Automático,
  Facultad de Ingeniería, Universidad de la República.
- **003** — *Redes convolucionales avanzadas I*, Visión por Computador, U-tad (2024).
- **004** — *Tema 6 – Redes de Neuronas Convolucionales*, Aprendizaje Automático II, Universidad Rey Juan Carlos.

`cli(...)` runs the `cnncalc` command as in an English terminal.""",
        SETUP,
    ),
    # -- 000 ------------------------------------------------------------------------------------
    (
        """## 000 · Arquitectura: Entrada → Conv → ReLU → Unión → Completa

La arquitectura de ejemplo de los apuntes, con la entrada de 32×32×3 de cs231n: diez filtros de
5×5 con relleno 2, unión 2×2 y una capa completamente conectada de 10. La convolución tiene
3·10·5² + 10 = 760 parámetros; la capa completa 16·16·10·10 + 10 = 25.610.""",
        """## 000 · Architecture: Input → Conv → ReLU → Pool → Fully connected

The notes' example architecture, with cs231n's 32×32×3 input: ten 5×5 filters with padding 2,
2×2 pooling and a fully connected layer of 10. The convolution has 3·10·5² + 10 = 760 parameters;
the fully connected layer 16·16·10·10 + 10 = 25,610.""",
        """net = cnncalc.load("INPUT(32x32x3) → CONV(10, k=5, p=2) → RELU → POOL(2) → FC(10)")
summary = net.summary()
params = {layer.name: layer.params for layer in summary.layers}
assert params["conv_1"] == 3 * 10 * 5**2 + 10 == 760
assert params["dense_1"] == 16 * 16 * 10 * 10 + 10 == 25_610
summary""",
    ),
    (
        """## 000 · Capa de unión

Promedio de potencias, f(X) = (Σ x^p)^(1/p): la ventana (3, 4, 0, 0) con p = 2 da √(9 + 16) = 5.
Valores típicos: F = 3, S = 2 (unión superpuesta) y F = 2, S = 2; sobre 224: (224 − 3)/2 + 1 = 111,5,
así que 111 (se pierde una columna), y (224 − 2)/2 + 1 = 112.""",
        """## 000 · Pooling layer

Power average, f(X) = (Σ x^p)^(1/p): the window (3, 4, 0, 0) with p = 2 gives √(9 + 16) = 5.
Typical values: F = 3, S = 2 (overlapping) and F = 2, S = 2; on 224: (224 − 3)/2 + 1 = 111.5, so
111 (a column is dropped), and (224 − 2)/2 + 1 = 112.""",
        """lp = cnncalc.pool(np.array([[3, 4], [0, 0]]), 2, kind="lp", power=2)
assert lp.output.tolist() == [[5.0]]
overlapping = cnncalc.out_size(224, 3, S=2)
assert overlapping.size == 111 and overlapping.exact == 111.5 and not overlapping.fits
assert cnncalc.out_size(224, 2, S=2).size == 112
lp.output, overlapping.exact""",
    ),
    (
        """## 000 · Entrenamiento

En la unión máxima sólo la componente que tuvo el valor más grande recibe el gradiente.""",
        """## 000 · Training

In max pooling only the component that had the largest value receives the gradient.""",
        """worked = cnncalc.pool(np.array([[1, 3], [7, 2]]), 2, upstream=np.array([[5.0]]))
assert worked.grad_input.tolist() == [[0, 0], [5, 0]]
worked.grad_input""",
    ),
    (
        """## 000 · Conversión completamente conectada ↔ convolucional

V filtros del tamaño de la entrada, sin relleno (P = 0) y con salto S = 1: la capa completa sobre el
volumen de 16×16×10 es una convolución de 10 filtros de 16×16, con los mismos 25.610 parámetros.
Sobre una imagen mayor (64×64) la red convertida da un mapa de (32 − 16)/1 + 1 = 17 posiciones por lado.""",
        """## 000 · Fully connected ↔ convolutional conversion

V filters the size of the input, no padding (P = 0) and stride S = 1: the fully connected layer on
the 16×16×10 volume is a convolution of ten 16×16 filters, with the same 25,610 parameters. On a
larger image (64×64) the converted network gives a map of (32 − 16)/1 + 1 = 17 positions a side.""",
        """cli(
    "convert",
    "INPUT(32x32x3) → CONV(10, k=5, p=2) → RELU → POOL(2) → FC(10)",
    "--fc-to-conv",
    "--to",
    "chain",
    "-i",
    "64x64x3",
)""",
    ),
    (
        """## 000 · CNNs famosas II: el módulo *inception* de GoogLeNet

1×1, 3×3 y 5×5 en paralelo (con reducciones 1×1) y una unión, concatenados. El módulo (3a) sobre
28×28×192, pesos y sesgos a mano: 192·64+64 + 192·96+96 + 96·128·9+128 + 192·16+16 + 16·32·25+32 +
192·32+32 = 163.696, y 64 + 128 + 32 + 32 = 256 canales de salida.""",
        """## 000 · Famous CNNs II: GoogLeNet's inception module

1×1, 3×3 and 5×5 in parallel (with 1×1 reductions) and a pooling, concatenated. Module (3a) on
28×28×192, weights and biases by hand: 192·64+64 + 192·96+96 + 96·128·9+128 + 192·16+16 +
16·32·25+32 + 192·32+32 = 163,696, and 64 + 128 + 32 + 32 = 256 output channels.""",
        """inception = cnncalc.load("inception_3a").summary()
assert inception.totals.params == 163_696
assert inception.output_shapes == ((28, 28, 256),)
inception.totals.params, inception.output_shapes""",
    ),
    # -- 001 ------------------------------------------------------------------------------------
    (
        """## 001 · Operación de convolución, paso a paso

La imagen de 4×4 y el filtro (1 0; 0 2), los nueve pasos de la diapositiva. **Errata:** el tercer
paso escribe 1*10 + 0*0 + 0*30 + 2*20 = 70, pero la suma es 10 + 40 = 50 (la propia rejilla de
salida de la diapositiva muestra 50).""",
        """## 001 · The convolution operation, step by step

The 4×4 image and the filter (1 0; 0 2), the slide's nine steps. **Erratum:** the third step writes
1*10 + 0*0 + 0*30 + 2*20 = 70, but the sum is 10 + 40 = 50 (the slide's own output grid shows 50).""",
        """image = "0 10 10 0; 20 30 30 20; 10 20 20 10; 0 5 5 0"
worked = cnncalc.convolve(
    np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]]),
    np.array([[1, 0], [0, 2]]),
    explain=True,
)
assert worked.cells[2].text == "out[0,2] = 1*10 + 0*0 + 0*30 + 2*20 = 50"  # not 70
assert worked.output.tolist() == [[60, 70, 50], [60, 70, 50], [20, 30, 20]]
cli("conv", "-x", image, "-k", "1 0; 0 2", "--explain")""",
    ),
    (
        """## 001 · Tamaño de la salida y aplanamiento

«La matriz 5*5 se reduce a 3*3» con un filtro de 3×3: (5 − 3)/1 + 1 = 3. Un tensor de 5×5×2 se
aplana en un vector de 5·5·2 = 50.""",
        """## 001 · Output size and flattening

"The 5*5 matrix shrinks to 3*3" with a 3×3 filter: (5 − 3)/1 + 1 = 3. A 5×5×2 tensor flattens to a
vector of 5·5·2 = 50.""",
        """assert cnncalc.load("INPUT(5x5x1) → CONV(1, 3)").shape("conv_1") == (3, 3, 1)
assert cnncalc.load("INPUT(5x5x2) → FLATTEN").shape("flatten_1") == (50,)
cnncalc.load("INPUT(5x5x2) → FLATTEN").summary()""",
    ),
    # -- 002 ------------------------------------------------------------------------------------
    (
        """## 002 · ¿Cuál es el problema de las redes *fully connected*?

Una capa completa de D = 32² = 1024 unidades sobre una imagen de 32×32×3: 3D² + D =
3·1024² + 1024 = 3.146.752 ≈ 3×10⁶ parámetros.""",
        """## 002 · What is the problem with fully connected networks?

A fully connected layer of D = 32² = 1024 units on a 32×32×3 image: 3D² + D = 3·1024² + 1024 =
3,146,752 ≈ 3×10⁶ parameters.""",
        """dense = cnncalc.load("INPUT(32x32x3) → FLATTEN → FC(1024)").summary().layers[-1]
assert dense.params == 3 * 1024**2 + 1024 == 3_146_752
dense.params""",
    ),
    (
        """## 002 · Convolución de imágenes

La imagen u de 7×7 con el núcleo en cruz h = (1/5)(0 1 0; 1 1 1; 0 1 0), con ceros alrededor: los 49
valores de la diapositiva. La esquina a mano: (130 + 136 + 130)/5 = 79,2.""",
        """## 002 · Image convolution

The 7×7 image u with the cross kernel h = (1/5)(0 1 0; 1 1 1; 0 1 0), zeros around it: the slide's 49
values. The corner by hand: (130 + 136 + 130)/5 = 79.2.""",
        """u = np.array(
    [
        [130, 136, 53, 44, 231, 67, 108],
        [130, 89, 77, 58, 250, 154, 130],
        [208, 239, 120, 111, 112, 181, 22],
        [203, 223, 59, 79, 28, 57, 67],
        [164, 140, 215, 235, 66, 30, 204],
        [97, 159, 50, 110, 104, 76, 7],
        [207, 150, 58, 47, 152, 81, 237],
    ]
)
h = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]]) / 5
slide = [
    [79.2, 81.6, 62.0, 77.2, 118.4, 112.0, 61.0],
    [111.4, 134.2, 79.4, 108.0, 161.0, 156.4, 82.8],
    [156.0, 175.8, 121.2, 96.0, 136.4, 105.2, 80.0],
    [159.6, 172.8, 139.2, 102.4, 68.4, 72.6, 70.0],
    [120.8, 180.2, 139.8, 141.0, 92.6, 86.6, 61.6],
    [125.4, 119.2, 118.4, 109.2, 101.6, 59.6, 104.8],
    [90.8, 114.8, 61.0, 73.4, 76.8, 109.2, 65.0],
]
result = cnncalc.convolve(u, h, padding="same").output
assert np.round(result, 1).tolist() == slide
np.round(result, 1)""",
    ),
    (
        """## 002 · Capa de convolución

Un filtro de 5×5×3 es un producto interno de dimensión 5·5·3 = 75, más el sesgo. Entrada de 7×7,
filtro de 3×3: con paso 1, (7 − 3)/1 + 1 = 5; con paso 2, (7 − 3)/2 + 1 = 3; con paso 3,
(7 − 3)/3 + 1 = 2,33: **no cabe**.""",
        """## 002 · Convolution layer

A 5×5×3 filter is an inner product of dimension 5·5·3 = 75, plus the bias. A 7×7 input, a 3×3
filter: stride 1 gives (7 − 3)/1 + 1 = 5; stride 2, (7 − 3)/2 + 1 = 3; stride 3, (7 − 3)/3 + 1 =
2.33: **it does not fit**.""",
        """assert cnncalc.load("INPUT(32x32x3) → CONV(1, 5)").summary().layers[1].params == 75 + 1
assert [cnncalc.out_size(7, 3, S=s).size for s in (1, 2)] == [5, 3]
odd = cnncalc.out_size(7, 3, S=3)
assert round(odd.exact, 2) == 2.33 and not odd.fits
cli("out-size", "-W", "7", "-F", "3", "-S", "3")""",
    ),
    (
        """## 002 · Relleno con ceros

Entrada de 7×7, filtro de 3×3, paso 1 y un píxel de relleno: (7 − 3 + 2)/1 + 1 = 7. En general el
relleno (F − 1)/2 conserva el tamaño: F = 3 → 1, F = 5 → 2, F = 7 → 3. Sin relleno, 32×32 con filtros
de 5×5 repetidos se encoge: 32 → 28 → 24.""",
        """## 002 · Zero padding

A 7×7 input, a 3×3 filter, stride 1 and one pixel of padding: (7 − 3 + 2)/1 + 1 = 7. In general
padding (F − 1)/2 keeps the size: F = 3 → 1, F = 5 → 2, F = 7 → 3. Without padding, 32×32 with
repeated 5×5 filters shrinks: 32 → 28 → 24.""",
        """assert cnncalc.load("INPUT(7x7x1) → CONV(1, k=3, p=1)").shape("conv_1") == (7, 7, 1)
assert [cnncalc.keep_size_padding(7, f) for f in (3, 5, 7)] == [(1, 1), (2, 2), (3, 3)]
shrinking = cnncalc.load("INPUT(32x32x3) → CONV(6, 5) → CONV(6, 5)")
assert [shrinking.shape(name)[0] for name in ("conv_1", "conv_2")] == [28, 24]
[cnncalc.keep_size_padding(7, f) for f in (3, 5, 7)]""",
    ),
    (
        """## 002 · «Examples time»

Volumen de entrada 32×32×3, 10 filtros de 5×5 con paso 1 y relleno 2: (32 + 2·2 − 5)/1 + 1 = 32,
así que 32×32×10; cada filtro tiene 5·5·3 + 1 = 76 parámetros, 76·10 = 760.""",
        """## 002 · "Examples time"

Input volume 32×32×3, ten 5×5 filters with stride 1 and padding 2: (32 + 2·2 − 5)/1 + 1 = 32, so
32×32×10; each filter has 5·5·3 + 1 = 76 parameters, 76·10 = 760.""",
        """conv = cnncalc.load("INPUT(32x32x3) → CONV(10, k=5, s=1, p=2)").summary().layers[1]
assert conv.output_shape == (32, 32, 10) and conv.params == (5 * 5 * 3 + 1) * 10 == 760
cnncalc.load("INPUT(32x32x3) → CONV(10, k=5, s=1, p=2)").explain("conv_1")""",
    ),
    (
        """## 002 · ConvNetJS

«(conv-relu-conv-relu-pool)x3-FC-softmax, 7 capas, 7000 parámetros»: no se puede calcular, porque
la diapositiva no da el número de filtros de cada capa.""",
        """## 002 · ConvNetJS

"(conv-relu-conv-relu-pool)x3-FC-softmax, 7 layers, 7000 parameters": this cannot be computed, as
the slide does not give the number of filters of each layer.""",
        None,
    ),
    (
        """## 002 · Arquitectura CNN típica en Keras

El modelo `Sequential` para Fashion-MNIST de la diapositiva: convoluciones 7×7×1×64 + 64,
3×3×64×128 + 128, … y densas 2304×128 + 128, 128×64 + 64, 64×10 + 10; en total 1.413.834 parámetros,
como `model.summary()` de Keras.""",
        """## 002 · A typical CNN architecture in Keras

The slide's `Sequential` model for Fashion-MNIST: convolutions 7×7×1×64 + 64, 3×3×64×128 + 128, …
and dense layers 2304×128 + 128, 128×64 + 64, 64×10 + 10; 1,413,834 parameters in all, as Keras'
`model.summary()`.""",
        """fashion = cnncalc.load("keras_fashion_mnist").summary()
assert fashion.totals.params == 1_413_834
fashion""",
    ),
    # -- 003 ------------------------------------------------------------------------------------
    (
        """## 003 · VGG: convoluciones apiladas

Dos convoluciones de 3×3: campo receptivo de 5×5; tres: 7×7. Y menos parámetros: con C canales de
entrada y salida y sin sesgo, 2·9C² = 18C² frente a 25C², y 27C² frente a 49C² (aquí C = 64).""",
        """## 003 · VGG: stacked convolutions

Two 3×3 convolutions: a 5×5 receptive field; three: 7×7. And fewer parameters: with C channels in
and out and no bias, 2·9C² = 18C² against 25C², and 27C² against 49C² (here C = 64).""",
        """c = 64
three = cnncalc.load(f"INPUT(32x32x{c}) → [CONV({c}, 3, p=1, bias=false)] x 3")
seven = cnncalc.load(f"INPUT(32x32x{c}) → CONV({c}, 7, p=3, bias=false)")
assert [r.axes[0].size for r in three.receptive_field().layers[1:]] == [3, 5, 7]
assert three.summary().totals.params == 27 * c * c < seven.summary().totals.params == 49 * c * c
three.receptive_field()""",
    ),
    (
        """## 003 · Inception v2: factorizar las convoluciones

Una convolución de 3×3 factorizada en una de 1×3 y otra de 3×1 es «un 33% más barata»: 3 + 3 = 6
multiplicaciones por par de canales frente a 9, 1 − 6/9 = 33%.""",
        """## 003 · Inception v2: factoring convolutions

A 3×3 convolution factored into a 1×3 and a 3×1 is "33% cheaper": 3 + 3 = 6 multiplications per
channel pair against 9, 1 − 6/9 = 33%.""",
        """factored = cnncalc.load("INPUT(17x17x32) → CONV(32, 1x3, p=0x1) → CONV(32, 3x1, p=1x0)").summary()
full = cnncalc.load("INPUT(17x17x32) → CONV(32, 3, p=1)").summary()
saving = 1 - factored.totals.macs / full.totals.macs
assert round(saving, 2) == 0.33
f"{saving:.0%}\"""",
    ),
    (
        """## 003 · VGG: de 8 a 19 capas

AlexNet tiene 8 capas con pesos (5 convoluciones y 3 completas); VGG-19, 19 (16 y 3).""",
        """## 003 · VGG: from 8 to 19 layers

AlexNet has 8 layers with weights (5 convolutions and 3 fully connected); VGG-19 has 19 (16 and 3).""",
        """weighted = lambda name: [r.kind for r in cnncalc.load(name).summary().layers if r.params]  # noqa: E731
assert len(weighted("alexnet_original")) == 8
assert weighted("vgg19").count("conv") == 16 and weighted("vgg19").count("dense") == 3
len(weighted("alexnet_original")), len(weighted("vgg19"))""",
    ),
    # -- 004 ------------------------------------------------------------------------------------
    (
        """## 004 · Problemas de las MLPs para imágenes

**Errata:** la diapositiva escribe 224×224 píxeles/imagen = 150528 dimensiones; 224·224 = 50.176, y
150.528 = 224·224·3 (los tres canales de color). Una capa oculta tan ancha como la entrada tiene
150.528² = 22.658.678.784 pesos, «22000 millones» (la diapositiva escribe 150520 × 150528).""",
        """## 004 · Problems of MLPs for images

**Erratum:** the slide writes 224×224 pixels/image = 150528 dimensions; 224·224 = 50,176, and
150,528 = 224·224·3 (the three colour channels). One hidden layer as wide as the input has
150,528² = 22,658,678,784 weights, "22,000 million" (the slide writes 150520 × 150528).""",
        """assert 224 * 224 == 50_176 and 224 * 224 * 3 == 150_528
hidden = cnncalc.load("INPUT(224x224x3) → FLATTEN → FC(150528)").summary().layers[-1]
assert hidden.params == 150_528**2 + 150_528
hidden.params""",
    ),
    (
        """## 004 · Convolución en 1D

f = (3 4 5) invertida y pasada por g = (1 2 3 4 5) extendida con ceros: s(0) = 3·1 = 3,
s(1) = 4·1 + 3·2 = 10, 5 + 8 + 9 = 22, 34, 46, 5·4 + 4·5 = 40, 5·5 = 25; s = a + b − 1 = 7 valores.""",
        """## 004 · Convolution in 1-D

f = (3 4 5) flipped and passed over g = (1 2 3 4 5) extended with zeros: s(0) = 3·1 = 3,
s(1) = 4·1 + 3·2 = 10, 5 + 8 + 9 = 22, 34, 46, 5·4 + 4·5 = 40, 5·5 = 25; s = a + b − 1 = 7 values.""",
        """full = cnncalc.convolve(np.array([1, 2, 3, 4, 5]), np.array([3, 4, 5]), flip=True, padding="full")
assert full.output.tolist() == [3, 10, 22, 34, 46, 40, 25]
full.output""",
    ),
    (
        """## 004 · Capa convolucional 1D y ¿cuántos parámetros?

Núcleo de tamaño 3: 3 pesos y 1 sesgo; una capa de una MLP con D = 8 entradas y salidas: D×D pesos y
D sesgos, 72. Con canales (C_i = 4, C_o = 6, K = 3): en 1D, C_i·K + 1 = 13 y C_i·C_o·K + C_o = 78; en
2D, C_i·K² + 1 = 37 y C_i·C_o·K² + C_o = 222.""",
        """## 004 · 1-D convolutional layer and how many parameters?

Kernel size 3: 3 weights and 1 bias; an MLP layer with D = 8 inputs and outputs: D×D weights and D
biases, 72. With channels (C_i = 4, C_o = 6, K = 3): in 1-D, C_i·K + 1 = 13 and C_i·C_o·K + C_o = 78;
in 2-D, C_i·K² + 1 = 37 and C_i·C_o·K² + C_o = 222.""",
        """count = lambda chain: cnncalc.load(chain).summary().layers[1].params  # noqa: E731
counts = [
    count(chain)
    for chain in (
        "INPUT(8x1) → CONV(1, 3, p=1)",
        "INPUT(8) → FC(8)",
        "INPUT(10x4) → CONV(1, 3)",
        "INPUT(10x4) → CONV(6, 3)",
        "INPUT(10x10x4) → CONV(1, 3)",
        "INPUT(10x10x4) → CONV(6, 3)",
    )
]
assert counts == [3 + 1, 8 * 8 + 8, 4 * 3 + 1, 4 * 6 * 3 + 6, 4 * 9 + 1, 4 * 6 * 9 + 6]
counts""",
    ),
    (
        """## 004 · ¿Tamaño de la salida? y la red convolucional para MNIST-1D

D_o = floor((D_i − K + 2·P)/S + 1). La red de MNIST-1D: 40 → floor(37/2 + 1) = 19 → 9 → 4 posiciones
× 15 canales = 60 → 10; parámetros (1·3·15 + 15) + 2·(15·3·15 + 15) + (60·10 + 10) = 2.050.""",
        """## 004 · Output size and the convolutional network for MNIST-1D

D_o = floor((D_i − K + 2·P)/S + 1). The MNIST-1D network: 40 → floor(37/2 + 1) = 19 → 9 → 4
positions × 15 channels = 60 → 10; parameters (1·3·15 + 15) + 2·(15·3·15 + 15) + (60·10 + 10) = 2,050.""",
        """mnist1d = cnncalc.load("INPUT(40x1) → [CONV(15, k=3, s=2) → RELU] x 3 → FLATTEN → FC(10)").summary()
assert cnncalc.out_size(40, 3, S=2).size == 19
assert mnist1d.totals.params == 60 + 690 + 690 + 610 == 2050
mnist1d""",
    ),
    (
        """## 004 · MNIST-1D, red *fully connected*

«Parámetros = 150185»: no se puede calcular, porque no se dan los anchos de las capas (cuatro capas
ocultas iguales no pueden sumar 150.185: 3h² + 54h + 10 = 150.185 no tiene solución entera).""",
        """## 004 · MNIST-1D, fully connected network

"Parameters = 150185": this cannot be computed, as the layers' widths are not given (four equal
hidden layers cannot add up to 150,185: 3h² + 54h + 10 = 150,185 has no whole solution).""",
        None,
    ),
    (
        """## 004 · Backprop con capa convolucional 1D

z₀ = T·x + β con T la banda de (w₁ w₂ w₃) sobre 6 entradas; ∂L/∂x = Tᵀ·(a b c d)ᵀ, la convolución
con el filtro, y ∂L/∂w = [x₁ x₂ x₃ x₄; x₂ x₃ x₄ x₅; x₃ x₄ x₅ x₆]·(a b c d)ᵀ. Con w = (2, 3, 5),
x = (1, …, 6) y (a b c d) = (1, 10, 100, 1000): ∂L/∂x₂ = w₂·a + w₁·b = 3 + 20 = 23 y
∂L/∂w₁ = 1 + 20 + 300 + 4000 = 4321. `--as-matrix` muestra T y `--grad --explain` cada término.""",
        """## 004 · Backprop through a 1-D convolutional layer

z₀ = T·x + β with T the band of (w₁ w₂ w₃) on 6 inputs; ∂L/∂x = Tᵀ·(a b c d)ᵀ, the convolution
with the filter, and ∂L/∂w = [x₁ x₂ x₃ x₄; x₂ x₃ x₄ x₅; x₃ x₄ x₅ x₆]·(a b c d)ᵀ. With w = (2, 3, 5),
x = (1, …, 6) and (a b c d) = (1, 10, 100, 1000): ∂L/∂x₂ = w₂·a + w₁·b = 3 + 20 = 23 and
∂L/∂w₁ = 1 + 20 + 300 + 4000 = 4321. `--as-matrix` shows T and `--grad --explain` every term.""",
        """gradient = np.array([1, 10, 100, 1000])
back = cnncalc.convolve(np.arange(1, 7), np.array([2, 3, 5]), upstream=gradient, as_matrix=True)
assert back.matrix.tolist() == [[2, 3, 5, 0, 0, 0], [0, 2, 3, 5, 0, 0], [0, 0, 2, 3, 5, 0], [0, 0, 0, 2, 3, 5]]
assert back.grad_input.tolist() == (back.matrix.T @ gradient).tolist()
assert back.grad_input[1] == 3 * 1 + 2 * 10 and back.grad_kernel[0] == 1 + 20 + 300 + 4000
cli("conv", "-x", "1 2 3 4 5 6", "-k", "2 3 5", "--grad", "1 10 100 1000", "--explain", "--as-matrix")""",
    ),
    (
        """## 004 · Bajar la resolución y la convolución 1×1

Quedarse uno de cada dos píxeles (paso 2), unión máxima y promedio: (1 + 2 + 5 + 6)/4 = 3,5. Una
convolución 1×1 mezcla canales: de 64 a 16 canales, 64·16 + 16 = 1.040 parámetros.""",
        """## 004 · Downsampling and the 1×1 convolution

Keep one pixel of two (stride 2), max and mean pooling: (1 + 2 + 5 + 6)/4 = 3.5. A 1×1 convolution
mixes channels: from 64 to 16 channels, 64·16 + 16 = 1,040 parameters.""",
        """x = np.arange(1, 17).reshape(4, 4)
assert cnncalc.convolve(x, np.array([[1]]), stride=2).output.tolist() == [[1, 3], [9, 11]]
assert cnncalc.pool(x, 2).output.tolist() == [[6, 8], [14, 16]]
assert cnncalc.pool(x, 2, kind="avg").output.tolist() == [[3.5, 5.5], [11.5, 13.5]]
assert cnncalc.load("INPUT(28x28x64) → CONV(16, 1)").summary().layers[1].params == 64 * 16 + 16
cnncalc.pool(x, 2, kind="avg").output""",
    ),
    (
        """## 004 · AlexNet (2012)

«650K neuronas, 60M parámetros», y la tabla de pesos por capa 35K, 307K, 884K, 1.3M, 442K, 37M, 16M,
4M. A mano (con los dos grupos de GPU en conv2, conv4 y conv5): 11·11·3·96 = 34.848;
5·5·48·256 = 307.200; 3·3·256·384 = 884.736; 3·3·192·384 = 663.552; 3·3·192·256 = 442.368;
6·6·256·4096 = 37.748.736; 4096² = 16.777.216; 4096·1000 = 4.096.000. **Errata:** el 1.3M de conv4 es
3·3·384·384 = 1.327.104, la cuenta sin grupos, mientras las filas de conv2 y conv5 sí los cuentan.
Neuronas: 55²·96 + 27²·256 + 2·13²·384 + 13²·256 + 4096 + 4096 + 1000 = 659.272 ≈ 650K.""",
        """## 004 · AlexNet (2012)

"650K neurons, 60M parameters", and the table of weights per layer 35K, 307K, 884K, 1.3M, 442K,
37M, 16M, 4M. By hand (with the two GPU groups in conv2, conv4 and conv5): 11·11·3·96 = 34,848;
5·5·48·256 = 307,200; 3·3·256·384 = 884,736; 3·3·192·384 = 663,552; 3·3·192·256 = 442,368;
6·6·256·4096 = 37,748,736; 4096² = 16,777,216; 4096·1000 = 4,096,000. **Erratum:** conv4's 1.3M is
3·3·384·384 = 1,327,104, the count without groups, while the conv2 and conv5 rows do count them.
Neurons: 55²·96 + 27²·256 + 2·13²·384 + 13²·256 + 4096 + 4096 + 1000 = 659,272 ≈ 650K.""",
        """alexnet = cnncalc.load("alexnet_original").summary()
weights = [r.params - r.output_shape[-1] for r in alexnet.layers if r.params]  # minus one bias per filter
assert weights == [34_848, 307_200, 884_736, 663_552, 442_368, 37_748_736, 16_777_216, 4_096_000]
assert alexnet.totals.params == 60_965_224 and alexnet.totals.neurons == 659_272
alexnet""",
    ),
    (
        """## 004 · VGG e ImageNet

«Versión de 19 capas, 144M de parámetros»: VGG-19 tiene 143.667.240 ≈ 144M. ImageNet: imágenes de
224×224 píxeles y 1000 clases.""",
        """## 004 · VGG and ImageNet

"19-layer version, 144M parameters": VGG-19 has 143,667,240 ≈ 144M. ImageNet: 224×224-pixel images
and 1000 classes.""",
        """vgg19 = cnncalc.load("vgg19").summary()
assert vgg19.totals.params == 143_667_240
assert vgg19.layers[0].output_shape == (224, 224, 3) and vgg19.output_shapes == ((1000,),)
vgg19.totals.params""",
    ),
]


def notebook(language: str) -> dict:
    cells: list[dict] = []
    for spanish, english, code in CELLS:
        prose = _lines(spanish if language == "es" else english)
        cells.append({"cell_type": "markdown", "id": f"cell-{len(cells)}", "metadata": {}, "source": prose})
        if code is not None:
            if code is SETUP:
                code = SETUP.format(locale="es_ES.UTF-8" if language == "es" else "en_US.UTF-8")
            cells.append(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": f"cell-{len(cells)}",
                    "metadata": {},
                    "outputs": [],
                    "source": _lines(code),
                }
            )
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def main() -> None:
    for language, path in NOTEBOOKS.items():
        path.write_text(json.dumps(notebook(language), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)}", file=sys.stderr)


if __name__ == "__main__":
    main()
