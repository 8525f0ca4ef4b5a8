#include "names/uyghur_rules.h"

namespace izde::names {

const char16_t kUyghurArabicToUlyRules[] =
    uR"rules(
:: NFKC ;
# Arabic vowel signs and shadda are not written in Uyghur; drop them if present.
[\u064B-\u065F\u0670] > ;
^ ئ > ;
ئ > \' ;
ء > ;
ا > a ;
أ > a ;
إ > i ;
آ > a ;
ە > e ;
ه > e ;
ة > e ;
ب > b ;
پ > p ;
ت > t ;
ط > t ;
ث > s ;
ج > j ;
چ > ch ;
ح > h ;
خ > x ;
د > d ;
ذ > z ;
ر > r ;
ز > z ;
ژ > zh ;
س > s ;
ص > s ;
ش > sh ;
ض > z ;
ظ > z ;
ع > \' ;
غ > gh ;
ف > f ;
ق > q ;
ك > k ;
ک > k ;
گ > g ;
ڭ > ng ;
ل > l ;
م > m ;
ن > n ;
ھ > h ;
و > o ;
ؤ > o ;
ۇ > u ;
ۆ > ö ;
ۈ > ü ;
ۋ > w ;
ې > é ;
ى > i ;
ي > y ;
ی > y ;
:: NFC ;
)rules";

const char16_t kUyghurCyrillicToUlyRules[] =
    uR"rules(
:: NFC ;
:: Lower ;
а > a ;
ә > e ;
б > b ;
в > w ;
г > g ;
ғ > gh ;
д > d ;
е > é ;
ё > yo ;
ж > zh ;
җ > j ;
з > z ;
и > i ;
і > i ;
й > y ;
к > k ;
қ > q ;
л > l ;
м > m ;
н > n ;
ң > ng ;
о > o ;
ө > ö ;
п > p ;
р > r ;
с > s ;
т > t ;
у > u ;
ұ > u ;
ү > ü ;
ф > f ;
х > x ;
һ > h ;
ц > ts ;
ч > ch ;
ш > sh ;
щ > shch ;
ъ > \' ;
ь > ;
ы > i ;
э > e ;
ю > yu ;
я > ya ;
)rules";

}  // namespace izde::names
