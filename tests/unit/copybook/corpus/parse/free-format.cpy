*> free
01 rec.
  05 a pic x(3).
  05 b pic s9(3)v9 comp-3 value -1.5.
  05 c pic 9 occurs 2 times.
