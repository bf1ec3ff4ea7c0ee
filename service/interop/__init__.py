"""Exchange with the state's systems: edXML messages for the e-office and the national document
exchange axis (QCVN 102:2016/BTTTT as amended by TT 01/2022/TT-BTTTT)."""
