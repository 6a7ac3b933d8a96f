"""Actions of data contests (开放大赛): the contest, its teams, their entries, judging and results."""
