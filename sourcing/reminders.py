"""Selection reminders run by the daily alert job: questionnaire deadlines, pending scores, decision date."""
