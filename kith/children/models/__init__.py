"""Children's social care records, in two parts: the child in need journey (front door,
referrals and CIN episodes, assessments, S47, conferences, plans; ``cin``) and children looked
after (episodes, placements, reviews, health, permanence, care leavers; ``cla``)."""

from kith.children.models.cin import *  # noqa: F403
from kith.children.models.cla import *  # noqa: F403
