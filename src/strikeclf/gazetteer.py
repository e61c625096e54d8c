"""Place names that tell on which side of the front a strike landed.

Whether a drone attack is on topic depends on where it hit: Russia and the
Russian-held parts of Ukraine (on topic) or Ukrainian-controlled territory
(unrelated). A corpus can name only so many towns, so word features replace
every known place with a class token (``__ru_place__`` / ``__ua_place__``):
a model that learnt "drones hit an oil depot in Bryansk" then also reads
"drones hit an oil depot in Kstovo" correctly. Character n-grams still see
the real name.

Lower-case single tokens, as :func:`strikeclf.features.normalise` leaves them.
Multi-word names are listed by their distinctive word (``ust-luga`` → ``luga``).
Facts, not text: compiled by the team from public maps.
"""

from __future__ import annotations

RU_PLACE = "__ru_place__"
UA_PLACE = "__ua_place__"

# Russia: regions, cities, towns, air bases, ports and plants often struck,
# and Russian-occupied Crimea and occupied parts of Donetsk, Luhansk,
# Zaporizhzhia and Kherson oblasts.
RUSSIAN_HELD = frozenset(
    """
    belgorod shebekino graivoron valuyki alekseyevka stary oskol gubkin kursk sudzha
    rylsk kurchatov lgov zheleznogorsk korenevo khalino bryansk klintsy novozybkov
    unecha klimovo seshcha pochep starodub voronezh liski borisoglebsk ostrogozhsk
    rossosh buturlinovka rostov taganrog novoshakhtinsk millerovo morozovsk shakhty
    kamensk bataysk krasnodar kuban tuapse novorossiysk yeysk anapa sochi afipsky
    ilsky slavyansk temryuk taman kavkaz krymsk armavir primorsko akhtarsk moscow
    muscovites podolsk kolomna domodedovo sheremetyevo vnukovo zhukovsky kapotnya
    ramenskoye balashikha krasnogorsk odintsovo mytishchi dubna ryazan dyagilevo tula
    aleksin novomoskovsk yefremov kaluga lyudinovo oryol orel livny lipetsk yelets
    tambov kotovsk michurinsk penza saratov engels balakovo volgograd kamyshin astrakhan
    samara syzran novokuibyshevsk tolyatti ulyanovsk tatarstan kazan yelabuga alabuga
    nizhnekamsk bashkortostan ufa salavat sterlitamak chuvashia cheboksary
    novocheboksarsk orenburg orsk perm izhevsk udmurtia votkinsk kirov vologda
    cherepovets yaroslavl tver toropets ostashkov smolensk vyazma pskov novgorod soltsy
    leningrad petersburg kirishi luga primorsk vyborg kronstadt gatchina murmansk olenya
    severomorsk arkhangelsk severodvinsk kaliningrad baltiysk nizhny kstovo dzerzhinsk
    savasleyka mordovia saransk mari ioshkar stavropol nevinnomyssk budyonnovsk mozdok
    ossetia vladikavkaz chechnya grozny dagestan makhachkala kaspiysk adygea maykop
    kabardino nalchik yekaterinburg chelyabinsk tyumen omsk novosibirsk kemerovo
    krasnoyarsk irkutsk shaykovka marinovka akhtubinsk yeysk borisoglebsk khotilovo
    lipetsk crimea crimean sevastopol simferopol feodosia dzhankoi saky yevpatoria kerch
    belbek kacha kirovske hvardiiske chornomorske tarkhankut hvardiyske oleniv olenivka
    alushta yalta armiansk krasnoperekopsk donetsk makiivka horlivka yenakiieve mariupol
    khartsyzk debaltseve ilovaisk luhansk lugansk alchevsk rovenky dovzhansk sverdlovsk
    stakhanov kadiivka krasnodon sorokyne starobilsk svatove lysychansk sievierodonetsk
    rubizhne melitopol berdiansk tokmak enerhodar vasylivka polohy prymorsk mykhailivka
    henichesk skadovsk chonhar nova kakhovka kakhovka oleshky hola prystan
    """.split()
)

# Ukrainian-controlled cities and regions most often named in reports of
# Russian strikes (the other side of the front).
UKRAINIAN_HELD = frozenset(
    """
    kyiv kiev kharkiv kharkov odesa odessa dnipro dnipropetrovsk lviv zaporizhzhia
    zaporozhye zaporizhia mykolaiv nikolaev kherson sumy chernihiv poltava kryvyi rih
    vinnytsia zhytomyr rivne lutsk volyn ternopil khmelnytskyi ivano frankivsk uzhhorod
    zakarpattia chernivtsi cherkasy kropyvnytskyi kirovohrad kremenchuk pavlohrad
    nikopol marhanets izmail reni pivdennyi chornomorsk pokrovsk kramatorsk sloviansk
    kostiantynivka druzhkivka dobropillia myrnohrad kupiansk vovchansk izium lyman
    siversk toretsk chasiv huliaipole orikhiv bila tserkva brovary irpin bucha boryspil
    vyshhorod fastiv okhtyrka shostka konotop romny lebedyn burshtyn ladyzhyn
    starokostiantyniv dobrotvir trypillia kurakhove vuhledar avdiivka bakhmut
    """.split()
)
