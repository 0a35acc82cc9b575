/*
 * synth: deterministic synthetic customers for the bench and the demo:
 * Latin, Chinese and Cyrillic names, Chinese mobile numbers, emails, cards,
 * tags and visits spread over three years.
 */
#ifndef PATRON_BENCH_SYNTH_H
#define PATRON_BENCH_SYNTH_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct synth {
	uint64_t state;
};

struct synth_customer {
	char name[96];
	char phone[24];
	char email[96];		/* "" for none */
	char card[16];		/* "" for none */
	char tag[16];		/* "" for none */
	char visit[32];		/* "" for never */
	char birthday[16];	/* "" for none */
};

static const char *const synth_given[] = { "Anna", "Maria", "Sofia",
	"Emma", "Olivia", "Lena", "Clara", "Julia", "Laura", "Sara", "Elena",
	"Nina", "Paula", "Alice", "Marta", "Eva", "Ines", "Rosa", "Ida",
	"Helena", "Lucas", "Noah", "Leon", "Paul", "Felix", "Jonas", "Luca",
	"David", "Daniel", "Tom", "Max", "Ben", "Jan", "Erik", "Hugo",
	"Oscar", "Mateo", "Pablo", "Carlos", "José", "André", "Zoë",
	"Chloé", "Björn", "Søren", "Łukasz", "Ömer", "Yusuf", "Amir", "Omar",
	"Kenji", "Yuki", "Hana", "Minh", "Linh", "Priya", "Ravi", "Arjun",
	"Fatima", "Aisha" };
static const char *const synth_family[] = { "Müller", "Schmidt",
	"Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
	"Koch", "Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans",
	"Martin", "Bernard", "Dubois", "Durand", "Lefèvre", "Moreau", "García",
	"Fernández", "González", "Rodríguez", "López", "Martínez", "Rossi",
	"Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Jansen", "de Vries",
	"Nowak", "Kowalski", "Novák", "Nagy", "Silva", "Santos", "Costa",
	"Yılmaz", "Kaya", "Nguyen", "Tran", "Tanaka", "Suzuki", "Sato", "Kim",
	"Park", "Singh", "Kumar", "Khan", "O'Brien", "MacLeod", "Andersson",
	"Hansen", "Virtanen" };
static const char *const synth_cn_family[] = { "王", "李", "张", "刘",
	"陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
	"何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹" };
static const char *const synth_cn_given[] = { "芳", "伟", "娜", "敏",
	"静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
	"超", "秀英", "霞", "平", "刚", "桂英", "华", "玉兰", "红", "建华",
	"文", "斌", "宇", "欣怡", "子涵", "浩然", "思彤", "雨桐", "梓萱",
	"俊杰", "晨", "鑫", "婷", "雪" };
static const char *const synth_ru[] = { "Иван Петров", "Ольга Иванова",
	"Анна Смирнова", "Сергей Кузнецов", "Мария Попова", "Дмитрий Соколов",
	"Елена Лебедева", "Алексей Козлов", "Наталья Новикова",
	"Андрей Морозов" };
static const char *const synth_tags[] = { "vip", "wholesale", "staff",
	"newsletter", "allergy", "gift", "student", "senior" };
static const char *const synth_domains[] = { "example.com", "mail.cn",
	"post.de", "web.fr", "inbox.es" };

#define SYNTH_N(a) (sizeof(a) / sizeof((a)[0]))

static inline uint64_t
synth_next(struct synth *g)
{
	uint64_t z = (g->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint32_t
synth_below(struct synth *g, uint32_t n)
{
	return (uint32_t)(synth_next(g) % n);
}

/* Lower-case ASCII letters of s, for email local parts. */
static inline void
synth_ascii(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (; *s != '\0' && o + 1 < len; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			out[o++] = (char)(*s | 0x20);
	out[o] = '\0';
}

/* Customer number i (1-based; the card number depends on it). */
static inline void
synth_customer(struct synth *g, long i, struct synth_customer *c)
{
	uint32_t kind = synth_below(g, 100);
	const char *given = "", *family = "";

	memset(c, 0, sizeof *c);
	if (kind < 30) {
		snprintf(c->name, sizeof c->name, "%s%s",
			synth_cn_family[synth_below(g, SYNTH_N(synth_cn_family))],
			synth_cn_given[synth_below(g, SYNTH_N(synth_cn_given))]);
	} else if (kind < 33) {
		snprintf(c->name, sizeof c->name, "%s",
			synth_ru[synth_below(g, SYNTH_N(synth_ru))]);
	} else {
		given = synth_given[synth_below(g, SYNTH_N(synth_given))];
		family = synth_family[synth_below(g, SYNTH_N(synth_family))];
		snprintf(c->name, sizeof c->name, "%s %s", given, family);
	}
	snprintf(c->phone, sizeof c->phone, "+861%u%08u",
		30 + synth_below(g, 60), synth_below(g, 100000000));
	if (kind >= 33 && synth_below(g, 10) < 6) {
		char a[32], b[32];

		synth_ascii(given, a, sizeof a);
		synth_ascii(family, b, sizeof b);
		snprintf(c->email, sizeof c->email, "%s.%s%ld@%s", a, b, i,
			synth_domains[synth_below(g, SYNTH_N(synth_domains))]);
	}
	if (synth_below(g, 2) == 0)
		snprintf(c->card, sizeof c->card, "C%07ld", i);
	if (synth_below(g, 5) == 0)
		snprintf(c->tag, sizeof c->tag, "%s",
			synth_tags[synth_below(g, SYNTH_N(synth_tags))]);
	if (synth_below(g, 10) != 0)
		snprintf(c->visit, sizeof c->visit,
			"20%02u-%02u-%02uT%02u:%02u:00Z", 24 + synth_below(g, 3),
			1 + synth_below(g, 12), 1 + synth_below(g, 28),
			8 + synth_below(g, 12), synth_below(g, 60));
	if (synth_below(g, 3) == 0)
		snprintf(c->birthday, sizeof c->birthday, "19%02u-%02u-%02u",
			40 + synth_below(g, 60), 1 + synth_below(g, 12),
			1 + synth_below(g, 28));
}

#endif
