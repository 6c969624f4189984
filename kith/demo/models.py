"""What the synthetic council generator has made in this database."""

from django.db import models


class SeedRun(models.Model):
    size = models.CharField(max_length=20)
    seed = models.IntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.size} council, seed {self.seed}"
