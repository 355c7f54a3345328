/** Word lists for the simulated world: Indonesian names, streets and Dukcapil (SIAK) labels. */

/** Given names common across Java, Sumatra and Kalimantan (upper case, as SIAK stores them). */
export const MALE_GIVEN = [
  "AHMAD", "MUHAMMAD", "BUDI", "AGUS", "EKO", "JOKO", "BAMBANG", "SLAMET", "HENDRA", "RUDI",
  "DEDI", "ASEP", "UJANG", "DADANG", "YUSUF", "RIZKI", "FAJAR", "ARIF", "ANDI", "IWAN",
  "HERU", "WAHYU", "DWI", "TRI", "BAYU", "DIMAS", "ILHAM", "IRFAN", "HASAN", "HUSEIN",
  "ABDUL", "SYAIFUL", "NURUL", "SUPRIYADI", "SUTRISNO", "SUGENG", "SUKARMAN", "PARDI", "TONO", "ADI",
  "ROBBY", "FIRMAN", "GILANG", "RAHMAT", "HIDAYAT", "ZAINAL", "MULYADI", "KURNIAWAN", "ARIS", "YOGA",
  "REZA", "TAUFIK", "IMAM", "FAUZI", "SAIFUDIN", "HARYANTO", "PURNOMO", "SUYANTO", "WAHYUDI", "ENDANG",
  "CECEP", "DENI", "YAYAN", "ENCEP", "AAN", "KHOIRUL", "MOCHAMAD", "ACHMAD", "SYAHRIL", "RIDWAN",
];

export const FEMALE_GIVEN = [
  "SITI", "SRI", "DEWI", "NUR", "ENDAH", "RINA", "YULIANI", "WATI", "SUSANTI", "LESTARI",
  "RATNA", "INDAH", "AYU", "PUTRI", "FITRI", "NOVI", "DIAN", "EVI", "NENG", "IIS",
  "EUIS", "AAS", "TITIN", "SUMIATI", "SUPARMI", "SUMARNI", "TUMINAH", "SUKINEM", "PARTINI", "WARSIH",
  "ANISA", "NABILA", "ZAHRA", "AISYAH", "FATIMAH", "KHADIJAH", "NURHAYATI", "ROSMAWATI", "YATI", "ENI",
  "MEGA", "RIZKA", "AMELIA", "NADIA", "SALSABILA", "INTAN", "WULAN", "TUTI", "ERNAWATI", "HERLINA",
  "MULYANI", "SURYANI", "MARYAM", "ROHANI", "ASIH", "KARTINI", "UMI", "LILIS", "YANTI", "NINGSIH",
];

/** Second names a Javanese, Sundanese or Malay name often ends with. */
export const MALE_SECOND = [
  "SANTOSO", "SETIAWAN", "WIBOWO", "HIDAYAT", "SAPUTRA", "PRASETYO", "NUGROHO", "KURNIAWAN", "PRATAMA",
  "SUSANTO", "GUNAWAN", "HERMAWAN", "FIRMANSYAH", "RAMADHAN", "MAULANA", "SUDRAJAT", "SUPRIATNA",
  "HAKIM", "RAHMAN", "SYAHPUTRA", "WIJAYA", "HARTONO", "SULAIMAN", "SOLEH", "EFENDI",
];

export const FEMALE_SECOND = [
  "LESTARI", "RAHAYU", "WULANDARI", "PERTIWI", "HANDAYANI", "PURNAMASARI", "KURNIASIH", "SAFITRI",
  "NURJANAH", "MARLINA", "AMALIA", "RAHMAWATI", "SETIAWATI", "ANGGRAINI", "PUSPITASARI", "MAHARANI",
  "SEPTIANI", "OKTAVIANI", "FEBRIANTI", "YULIANTI",
];

/** Batak family names (marga), passed from father to children. */
export const MARGA = [
  "SIMANJUNTAK", "SITUMORANG", "NAINGGOLAN", "HUTAGALUNG", "PANJAITAN", "SIREGAR", "NASUTION", "LUBIS",
  "HARAHAP", "SIHOMBING", "SINAGA", "TAMBUNAN", "SILALAHI", "MANURUNG", "PASARIBU", "SIMATUPANG",
  "HUTAPEA", "SITOMPUL", "GINTING", "SEMBIRING", "TARIGAN", "PURBA", "DAMANIK", "SARAGIH",
];

/** Christian given names common in North Sumatra, Sulawesi, Maluku, NTT and Papua. */
export const MALE_CHRISTIAN = [
  "YOHANES", "PETRUS", "PAULUS", "MARKUS", "YAKOBUS", "FRANSISKUS", "ANTONIUS", "STEFANUS", "DANIEL",
  "YOSEF", "MIKAEL", "ROBERT", "FREDDY", "HENDRIK", "JOHANIS", "MATIAS", "SAMUEL", "ELIAS",
];

export const FEMALE_CHRISTIAN = [
  "MARIA", "MAGDALENA", "ELISABETH", "MARTHA", "YOHANA", "KRISTINA", "AGUSTINA", "FRANSISKA", "LUSIA",
  "VERONIKA", "SANTI", "YULIANA", "MARGARETHA", "DEBORA", "RUTH", "ESTER",
];

/** Family names from Minahasa, Maluku, NTT and Papua. */
export const EAST_FAMILY = [
  "WOWOR", "RUMAMBI", "PANGEMANAN", "LUMENTUT", "SUMUAL", "KAWENGIAN", "PATTIRUHU", "LATUMAHINA",
  "TUHUMURY", "NDOEN", "TAKAEB", "BENU", "MANAFE", "WENDA", "KOGOYA", "WANIMBO", "YIKWA", "KAMBU",
  "RUMBIAK", "MANDACAN", "WOMSIWOR", "DA COSTA", "PEREIRA", "LAKE",
];

/** Balinese birth-order names; a person is "I WAYAN …" or "NI MADE …". */
export const BALI_ORDER = ["WAYAN", "MADE", "NYOMAN", "KETUT", "PUTU", "KADEK", "KOMANG", "GEDE"];
export const BALI_MALE = [
  "SUDARSANA", "ARTAWAN", "SUARDANA", "WIRAWAN", "ADNYANA", "SUKADANA", "MERTA", "SUJANA", "PARWATA",
];
export const BALI_FEMALE = [
  "SUARTINI", "ARIANI", "SRIANI", "WARTINI", "PUSPAWATI", "SUKERTI", "ASTITI", "DARMAYANTI",
];

/** Street and hamlet names for addresses. */
export const STREETS = [
  "MERDEKA", "SUDIRMAN", "DIPONEGORO", "GATOT SUBROTO", "AHMAD YANI", "PAHLAWAN", "MAWAR", "MELATI",
  "KENANGA", "ANGGREK", "CEMPAKA", "FLAMBOYAN", "MANGGA", "RAMBUTAN", "NANGKA", "KARTINI",
  "PEMUDA", "VETERAN", "PASAR BARU", "STASIUN", "RAYA", "KAMBOJA", "BOUGENVILLE", "SILIWANGI",
  "HASANUDDIN", "IMAM BONJOL", "CUT NYAK DIEN", "TEUKU UMAR", "PATIMURA", "MERAPI", "SEROJA", "DAHLIA",
];
export const HAMLETS = [
  "KRAJAN", "SUKAMAJU", "SUKAMULYA", "MEKARSARI", "SIDOREJO", "KARANGANYAR", "TEGALSARI", "SUMBERSARI",
  "MARGAMULYA", "CIBEUREUM", "BABAKAN", "LEBAKSARI", "WONOREJO", "SUKADAMAI", "TANJUNGSARI", "PADASUKA",
];

/** Dukcapil (SIAK) education labels, lowest first. */
export const EDUCATION = [
  "TIDAK/BELUM SEKOLAH",
  "BELUM TAMAT SD/SEDERAJAT",
  "TAMAT SD/SEDERAJAT",
  "SLTP/SEDERAJAT",
  "SLTA/SEDERAJAT",
  "DIPLOMA I/II",
  "AKADEMI/DIPLOMA III/S. MUDA",
  "DIPLOMA IV/STRATA I",
  "STRATA II",
  "STRATA III",
] as const;

/** Dukcapil (SIAK) occupation labels the world uses; indices are stored per person. */
export const OCCUPATION = [
  "BELUM/TIDAK BEKERJA",
  "MENGURUS RUMAH TANGGA",
  "PELAJAR/MAHASISWA",
  "PENSIUNAN",
  "PEGAWAI NEGERI SIPIL",
  "TENTARA NASIONAL INDONESIA",
  "KEPOLISIAN RI",
  "KARYAWAN BUMN",
  "PETANI/PEKEBUN",
  "NELAYAN/PERIKANAN",
  "KARYAWAN SWASTA",
  "KARYAWAN HONORER",
  "BURUH HARIAN LEPAS",
  "BURUH TANI/PERKEBUNAN",
  "PEDAGANG",
  "WIRASWASTA",
  "GURU",
  "SOPIR",
  "TUKANG BATU",
  "PERANGKAT DESA",
] as const;

export const OCC = {
  NONE: 0,
  HOUSEHOLD: 1,
  STUDENT: 2,
  RETIRED: 3,
  PNS: 4,
  TNI: 5,
  POLRI: 6,
  BUMN: 7,
  FARMER: 8,
  FISHER: 9,
  PRIVATE: 10,
  HONORARY: 11,
  DAY_LABOURER: 12,
  FARM_LABOURER: 13,
  TRADER: 14,
  ENTREPRENEUR: 15,
  TEACHER: 16,
  DRIVER: 17,
  MASON: 18,
  VILLAGE_OFFICIAL: 19,
} as const;

/** Canonical religion labels (schemas/src/person.ts); simulators render their own spellings. */
export const RELIGION = [
  "ISLAM",
  "KRISTEN",
  "KATOLIK",
  "HINDU",
  "BUDDHA",
  "KONGHUCU",
  "KEPERCAYAAN",
] as const;

/** Dukcapil marital status labels. */
export const MARITAL = ["BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"] as const;

/** Dukcapil family relationship labels (STAT_HBKEL). */
export const RELATIONSHIP = [
  "KEPALA KELUARGA",
  "ISTRI",
  "ANAK",
  "ORANG TUA",
  "FAMILI LAIN",
  "SUAMI",
  "CUCU",
] as const;

export const REL = { HEAD: 0, WIFE: 1, CHILD: 2, PARENT: 3, OTHER: 4, HUSBAND: 5, GRANDCHILD: 6 } as const;

/** Banks that paid BSU, BPUM and Prakerja incentives (Himbara and partners). */
export const BANKS = ["BRI", "BNI", "MANDIRI", "BTN", "BSI"] as const;
