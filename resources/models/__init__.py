"""The library's models: the occupation reference, records and their files, harvests."""

from resources.models.harvest import HarvestRecordError, HarvestRun, SisterCentre
from resources.models.occupations import IscoGroup, Occupation, OccupationLabel, label_in_language
from resources.models.records import Record, RecordFile

__all__ = [
    "HarvestRecordError",
    "HarvestRun",
    "IscoGroup",
    "Occupation",
    "OccupationLabel",
    "Record",
    "RecordFile",
    "SisterCentre",
    "label_in_language",
]
