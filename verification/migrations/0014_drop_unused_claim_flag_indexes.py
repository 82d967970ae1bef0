"""Two indexes nothing reads, which every extraction paid for.

(article, start) on claims: PostgreSQL finds an article's claims by the foreign key's own index
and never chose this one at a million claims (pg_stat_user_indexes after the load benchmark).
(code, claim) on flags: the search's flag filter reads Claim.flag_codes since migration 0013.
Each claim and each flag stored updated them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("verification", "0013_claim_flag_codes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="claim", name="verificatio_article_37edb8_idx"),
        migrations.RemoveIndex(model_name="flag", name="flag_code_claim"),
    ]
