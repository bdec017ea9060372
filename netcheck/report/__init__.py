"""The report stage: rendering answers, inventories and load diagnostics (text / JSON).

Input: model objects and answers. Output: text (rich) or JSON. Rendering only: nothing here
analyses or loads anything. `inventory` renders `netcheck show` / `netcheck validate`;
`answer` renders `netcheck query`.
"""
