"""The AWS `describe-*` JSON reader: the only place that knows AWS key spellings.

Input: decoded JSON files (`netcheck.inputs.files.SourceFile`). Output: `model.Network` plus
diagnostics. `keys` lists what is recognised, the other modules map one area each.
"""
