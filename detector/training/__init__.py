"""Training, evaluation and the composed corpus: everything that needs scikit-learn
or scipy lives here (install with the `[train]` extra), and nothing that cleans pages
imports it.

    dataset.py     the labelled-page format (JSON Lines)            no scikit-learn
    evaluate.py    scoring labelled pages: per label and text kept   no scikit-learn
    provenance.py  training files' hashes for the card               no scikit-learn
    estimator.py   the first pass as a scikit-learn pipeline
    context.py     the second pass: boosted trees over each block's context
    segmenter.py   label transitions and the appendix gate's fitting
    compile.py     fitted estimators -> the numpy-only Model
    card.py        the trained model's card
    train.py       train_model: all of the above, cross-validated by page group
    corpus/        composing labelled training and held-out pages from the shared data

This package imports none of its modules by itself, so `detector evaluate` and
`detector label` work without scikit-learn installed.
"""
