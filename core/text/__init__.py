"""Chinese text utilities, one of each: word segmentation (``segment``), Simplified/Traditional
scripts (``scripts``), numerals through cn2an (``numerals``), chapter numbering (``numbering``) and
money formatting (``money``). Import the module that does the job: ``from core.text.scripts import
to_simplified``."""
